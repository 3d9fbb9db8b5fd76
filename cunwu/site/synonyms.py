"""Words villagers type for the same thing: the one synonym table of the sites.

The search box applies it to the query, not to the pages: a query word found
in a group is searched as every word of its group (修路 finds a decision titled
通组道路硬化 and the month that paid for it), and the result's snippet shows the
record's own words. The table reaches the browser as
`pagefind/cunwu-synonyms.json`, written with each site's search index
(cunwu/site/search.py).

A group holds words a villager would use for the same thing, not merely
related ones: 硬化 alone is not a road (channels and yards are hardened too),
救助 is wider than 低保, 工资 is not a 补贴. Every word of a group is searched,
so a loose group answers with wrong records.
"""

from __future__ import annotations

SEARCH_GROUPS: tuple[tuple[str, ...], ...] = (
    ("修路", "道路", "公路", "硬化路", "水泥路", "通组路", "村道"),
    ("低保", "最低生活保障", "低保户"),
    ("饮水", "自来水", "安全饮水", "供水"),
    ("水渠", "沟渠", "灌溉渠"),
    ("路灯", "亮化"),
    ("补贴", "补助"),
    ("报酬", "工资"),
    ("出租", "租金", "租赁"),
    ("承包", "发包"),
    ("保洁", "环境卫生", "环境整治"),
    ("五保", "特困供养"),
)

