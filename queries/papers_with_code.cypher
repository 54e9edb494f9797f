// papers-with-code: papers and the code repositories they link to, one row per pair.
// Parameters: $limit (int, default 50): how many rows.
// Returns: id, title, repository (Repository id), url (of the repository); ordered by id, repository.
MATCH (p:Paper)-[:HAS_CODE]->(r:Repository)
RETURN p.id AS id, p.title AS title, r.id AS repository, r.url AS url
ORDER BY id, repository
LIMIT $limit
