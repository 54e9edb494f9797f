// collaboration-path: every shortest co-authorship path (Author-Paper-Author..., AUTHORED edges
//   only, at most 12 hops = 6 co-authors away) between two authors.
// Parameters: $source, $target (str, required): Author ids, names or aliases (case-insensitive);
//   $limit (int, default 10): how many paths.
// Returns: path (the node ids, source author first, authors and papers alternating), hops (edges);
//   ordered by hops, then the ids joined by spaces.
// LadybugDB text: Neo4j's allShortestPaths() and list comprehensions do not parse in LadybugDB,
// which writes ALL SHORTEST as a recursive-pattern option, maps lists with list_transform()
// and cannot ORDER BY a list (so it orders by list_to_string()). See
// collaboration_path.neo4j.cypher, and shortest_path.ladybug.cypher for the alias test: a list
// lambda before the recursive pattern makes LadybugDB 0.22 search from every node, so the
// aliases are joined with U+001F (never in a name) and split again.
MATCH (a:Author), (b:Author)
WHERE (a.id = $source OR toLower(a.name) = toLower($source)
       OR list_contains(string_split(toLower(list_to_string('\u001f', a.aliases)), '\u001f'), toLower($source)))
  AND (b.id = $target OR toLower(b.name) = toLower($target)
       OR list_contains(string_split(toLower(list_to_string('\u001f', b.aliases)), '\u001f'), toLower($target)))
  AND a <> b
MATCH p = (a)-[:AUTHORED* ALL SHORTEST 1..12]-(b)
WITH DISTINCT list_transform(nodes(p), x -> x.id) AS path
RETURN path, size(path) - 1 AS hops
ORDER BY hops, list_to_string(' ', path)
LIMIT $limit
