// shortest-path: every shortest path (ignoring direction, at most 6 hops) between two nodes.
// Parameters: $source, $target (str, required): node ids, or names, titles or aliases
//   (case-insensitive); $limit (int, default 10): how many paths.
// Returns: path (the node ids, source first), hops; ordered by hops, then the ids joined by spaces.
// LadybugDB text: Neo4j's allShortestPaths() and list comprehensions do not parse in LadybugDB,
// which writes ALL SHORTEST as a recursive-pattern option, maps lists with list_transform()
// and cannot ORDER BY a list (so it orders by list_to_string()). See shortest_path.neo4j.cypher.
// The alias test avoids a list lambda (any(x IN ... WHERE ...)) before the recursive pattern:
// with one, LadybugDB 0.22 searches paths from every node and filters afterwards (1000x slower).
// It joins the aliases with U+001F, a character names never contain, and splits them again.
MATCH (a), (b)
WHERE (a.id = $source OR toLower(a.name) = toLower($source) OR toLower(a.title) = toLower($source)
       OR list_contains(string_split(toLower(list_to_string('\u001f', a.aliases)), '\u001f'), toLower($source)))
  AND (b.id = $target OR toLower(b.name) = toLower($target) OR toLower(b.title) = toLower($target)
       OR list_contains(string_split(toLower(list_to_string('\u001f', b.aliases)), '\u001f'), toLower($target)))
  AND a <> b
MATCH p = (a)-[* ALL SHORTEST 1..6]-(b)
WITH DISTINCT list_transform(nodes(p), x -> x.id) AS path
RETURN path, size(path) - 1 AS hops
ORDER BY hops, list_to_string(' ', path)
LIMIT $limit
