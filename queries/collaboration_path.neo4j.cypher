// collaboration-path: every shortest co-authorship path (Author-Paper-Author..., AUTHORED edges
//   only, at most 12 hops = 6 co-authors away) between two authors.
// Parameters: $source, $target (str, required): Author ids, names or aliases (case-insensitive);
//   $limit (int, default 10): how many paths.
// Returns: path (the node ids, source author first, authors and papers alternating), hops (edges);
//   ordered by hops, then the ids joined by spaces.
// Neo4j text: LadybugDB's [* ALL SHORTEST] and list_transform() do not parse in Neo4j, which
// writes allShortestPaths() and a list comprehension, and joins ids with reduce().
// See collaboration_path.ladybug.cypher.
WITH toLower($source) AS skey, toLower($target) AS tkey
MATCH (a:Author)
WHERE a.id = $source OR toLower(a.name) = skey OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) = skey)
WITH DISTINCT a, tkey
MATCH (b:Author)
WHERE (b.id = $target OR toLower(b.name) = tkey OR any(x IN coalesce(b.aliases, []) WHERE toLower(x) = tkey))
  AND a <> b
WITH DISTINCT a, b
MATCH p = allShortestPaths((a)-[:AUTHORED*..12]-(b))
WITH DISTINCT [x IN nodes(p) | x.id] AS path
RETURN path, size(path) - 1 AS hops
ORDER BY hops, reduce(s = '', x IN path | s + ' ' + x)
LIMIT $limit
