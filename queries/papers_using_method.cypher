// papers-using-method: the papers that use or introduce a method.
// Parameters: $method (str, required): a Method id, name or alias (case-insensitive);
//   $limit (int, default 50): how many papers.
// Returns: id, title, year; newest first (papers without a year last), then id.
WITH toLower($method) AS key
MATCH (m:Method)
WHERE m.id = $method OR toLower(m.name) = key OR any(x IN coalesce(m.aliases, []) WHERE toLower(x) = key)
MATCH (p:Paper)-[:USES_METHOD|INTRODUCES]->(m)
WITH DISTINCT p
RETURN p.id AS id, p.title AS title, p.year AS year
ORDER BY coalesce(p.year, 0) DESC, id
LIMIT $limit
