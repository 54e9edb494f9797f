// method-trend: how many papers use or introduce a method, per year or per month.
// Parameters: $method (str, required): a Method id, name or alias (case-insensitive);
//   $by (str, 'year' or 'month', default 'year'): the period.
// Returns: period ('2024' or '2024-03', from the paper's published date; papers without one,
//   or without a month when by='month', are left out), papers; ordered by period.
WITH toLower($method) AS key, CASE $by WHEN 'month' THEN 7 ELSE 4 END AS width
MATCH (m:Method)
WHERE m.id = $method OR toLower(m.name) = key OR any(x IN coalesce(m.aliases, []) WHERE toLower(x) = key)
MATCH (p:Paper)-[:USES_METHOD|INTRODUCES]->(m)
WHERE size(p.published) >= width
RETURN left(p.published, width) AS period, count(DISTINCT p) AS papers
ORDER BY period
