// datasets-with-method: the datasets used by the papers that use a method.
// Parameters: $method (str, required): a Method id, name or alias (case-insensitive);
//   $limit (int, default 10): how many datasets.
// Returns: id, name, papers (distinct papers linked to both), ordered by papers descending, then id.
WITH toLower($method) AS key
MATCH (m:Method)
WHERE m.id = $method OR toLower(m.name) = key OR any(x IN coalesce(m.aliases, []) WHERE toLower(x) = key)
MATCH (m)<-[:USES_METHOD|INTRODUCES]-(p:Paper)-[:USES_DATASET|INTRODUCES]->(d:Dataset)
RETURN d.id AS id, d.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, id
LIMIT $limit
