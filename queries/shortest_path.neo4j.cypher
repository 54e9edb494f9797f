// shortest-path: every shortest path (ignoring direction, at most 6 hops) between two nodes.
// Parameters: $source, $target (str, required): node ids, or names, titles or aliases
//   (case-insensitive); $limit (int, default 10): how many paths.
// Returns: path (the node ids, source first), hops; ordered by hops, then the ids joined by spaces.
// Neo4j text: LadybugDB's [* ALL SHORTEST] and list_transform() do not parse in Neo4j, which
// writes allShortestPaths() and a list comprehension, and joins ids with reduce().
// See shortest_path.ladybug.cypher.
WITH toLower($source) AS skey, toLower($target) AS tkey
MATCH (a)
WHERE a.id = $source OR toLower(a.name) = skey OR toLower(a.title) = skey
   OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) = skey)
WITH DISTINCT a, tkey
MATCH (b)
WHERE (b.id = $target OR toLower(b.name) = tkey OR toLower(b.title) = tkey
   OR any(x IN coalesce(b.aliases, []) WHERE toLower(x) = tkey)) AND a <> b
WITH DISTINCT a, b
MATCH p = allShortestPaths((a)-[*..6]-(b))
WITH DISTINCT [x IN nodes(p) | x.id] AS path
RETURN path, size(path) - 1 AS hops
ORDER BY hops, reduce(s = '', x IN path | s + ' ' + x)
LIMIT $limit
