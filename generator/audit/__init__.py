"""``sitegen audit``: the site checked against the government website inspection indicators
(国办秘函〔2019〕19号) before the inspectors check it: update rules, empty columns, links,
basic information, disclosure fields and accessibility, as findings in three groups."""
