// shortest-path: every shortest path (ignoring direction, at most 6 hops) between two nodes.
// Parameters: $source, $target (str, required): node ids, or names, titles or aliases
//   (case-insensitive); $limit (int, default 10): how many paths.
// Returns: path (the node ids, source first), hops; ordered by hops, then the ids joined by spaces.
// LadybugDB text: Neo4j's allShortestPaths() and list comprehensions do not parse in LadybugDB,
// which writes ALL SHORTEST as a recursive-pattern option, maps lists with list_transform()
// and cannot ORDER BY a list (so it orders by list_to_string()). See shortest_path.neo4j.cypher.
WITH toLower($source) AS skey, toLower($target) AS tkey
MATCH (a)
WHERE a.id = $source OR toLower(a.name) = skey OR toLower(a.title) = skey
   OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) = skey)
MATCH (b)
WHERE (b.id = $target OR toLower(b.name) = tkey OR toLower(b.title) = tkey
   OR any(x IN coalesce(b.aliases, []) WHERE toLower(x) = tkey)) AND a <> b
MATCH p = (a)-[* ALL SHORTEST 1..6]-(b)
WITH DISTINCT list_transform(nodes(p), x -> x.id) AS path
RETURN path, size(path) - 1 AS hops
ORDER BY hops, list_to_string(' ', path)
LIMIT $limit
