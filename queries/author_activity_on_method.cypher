// author-activity-on-method: the authors with the most papers that use or introduce a method.
// Parameters: $method (str, required): a Method id, name or alias (case-insensitive);
//   $limit (int, default 10): how many authors.
// Returns: id, name, papers (distinct papers of the author linked to the method);
//   ordered by papers descending, then id.
WITH toLower($method) AS key
MATCH (m:Method)
WHERE m.id = $method OR toLower(m.name) = key OR any(x IN coalesce(m.aliases, []) WHERE toLower(x) = key)
MATCH (a:Author)-[:AUTHORED]->(p:Paper)-[:USES_METHOD|INTRODUCES]->(m)
RETURN a.id AS id, a.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, id
LIMIT $limit
