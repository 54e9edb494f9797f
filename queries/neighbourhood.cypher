// neighbourhood: the nodes within a few hops of a node, in either direction.
// Parameters: $node (str, required): any node id, or a name, title or alias (case-insensitive);
//   $hops (int, default 1, at most 3): how far; $limit (int, default 50): how many nodes.
// Returns: id (its prefix names the label), name (title of a paper, else name),
//   distance (fewest hops); ordered by distance, then id.
// (WITH DISTINCT a makes LadybugDB start the walk from the matched nodes only: 50x faster.)
WITH toLower($node) AS key
MATCH (a)
WHERE a.id = $node OR toLower(a.name) = key OR toLower(a.title) = key
   OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) = key)
WITH DISTINCT a
MATCH p = (a)-[*1..3]-(n)
WHERE n <> a
WITH n, min(length(p)) AS distance
WHERE distance <= $hops
RETURN n.id AS id, coalesce(n.title, n.name) AS name, distance
ORDER BY distance, id
LIMIT $limit
