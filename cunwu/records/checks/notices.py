"""Notice rules: a 公示 runs forward for at least the minimum number of days,
and its list is a proper table."""

from __future__ import annotations

from ..diagnostics import Report
from ..load import Doc
from ..models import Notice, Policy


def check_notice(doc: Doc[Notice], policy: Policy, report: Report) -> None:
    notice, path = doc.record, doc.path
    if notice.end <= notice.start:
        report.error(path, doc.line("end"), "notice.period-order",
                     f"公示结束日期 {notice.end} 不晚于开始日期 {notice.start}。请核对日期。")
    else:
        days = (notice.end - notice.start).days + 1
        if days < policy.notice_min_days:
            report.error(path, doc.line("end"), "notice.period-short",
                         f"公示期只有 {days} 天（{notice.start} 至 {notice.end}），少于规定的 "
                         f"{policy.notice_min_days} 天。请延长结束日期。")
    if notice.table:
        width = len(notice.table.columns)
        for i, row in enumerate(notice.table.rows):
            if len(row) != width:
                report.error(path, doc.line("table", "rows", i), "notice.table-shape",
                             f"名单第 {i + 1} 行有 {len(row)} 项，表头有 {width} 项。请补齐或删去多余的项。")
