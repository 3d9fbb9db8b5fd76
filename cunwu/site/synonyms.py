"""Words villagers type for the same thing: the one synonym table of the sites.

A page mentioning any word of a group gets the whole group as search tags
(indexed, not shown), so 修路 finds a decision titled 通组道路硬化 and the
month that paid for it.
"""

from __future__ import annotations

SEARCH_GROUPS: tuple[tuple[str, ...], ...] = (
    ("修路", "道路", "公路", "水泥路", "村道", "通组路", "路面", "硬化"),
    ("低保", "最低生活保障", "低保户", "救助"),
    ("饮水", "自来水", "水管", "管网", "安全饮水"),
    ("水利", "灌溉", "水渠", "渠道", "沟渠", "山塘", "排水沟"),
    ("路灯", "亮化", "照明"),
    ("补贴", "补助", "误工补贴", "工资", "报酬"),
    ("承包", "发包", "出租", "租金", "流转"),
    ("卫生", "保洁", "垃圾", "环境整治"),
)


def search_tags(*texts: str) -> list[str]:
    """Every word of every group that one of `texts` mentions, in table order."""
    joined = " ".join(texts)
    tags: list[str] = []
    for group in SEARCH_GROUPS:
        if any(word in joined for word in group):
            tags += [w for w in group if w not in tags]
    return tags
