"""Rule rules: each version of a 村规民约, 自治章程 or 小微权力清单 is adopted,
then filed with the township and posted, in that order, and carries its text."""

from __future__ import annotations

from ..diagnostics import Report
from ..load import Doc
from ..models import Rule, RuleVersion


def check_rule(doc: Doc[Rule], decision_ids: set[str], report: Report) -> None:
    rule, path = doc.record, doc.path
    previous: RuleVersion | None = None
    for i, version in enumerate(rule.versions):
        if previous is not None and version.adopted < previous.adopted:
            report.error(path, doc.line("versions", i, "adopted"), "rule.version-order",
                         f"版本“{version.version}”的通过日期早于上一个版本“{previous.version}”。"
                         "请按通过时间先后排列版本，新版本写在最后。")
        if version.filed is not None and version.filed < version.adopted:
            report.error(path, doc.line("versions", i, "filed"), "rule.filed-early",
                         f"备案日期 {version.filed} 早于通过日期 {version.adopted}。须先通过、再报乡镇备案。")
        if version.posted < version.adopted:
            report.error(path, doc.line("versions", i, "posted"), "rule.posted-early",
                         f"公布日期 {version.posted} 早于通过日期 {version.adopted}。请核对日期。")
        if rule.kind == "小微权力清单" and not version.powers:
            report.error(path, doc.line("versions", i), "rule.content-missing",
                         "小微权力清单的每个版本须列出权力事项（powers）及其办理步骤。")
        elif rule.kind != "小微权力清单" and not (version.text or "").strip():
            report.error(path, doc.line("versions", i), "rule.content-missing",
                         f"版本“{version.version}”缺少全文（text）。请把全文贴在 text: | 下面。")
        if version.decision and version.decision not in decision_ids:
            report.warning(path, doc.line("versions", i, "decision"), "rule.decision-unknown",
                           f"找不到决策事项“{version.decision}”（decisions 文件夹中没有 {version.decision}.md）。"
                           "请核对文件名。")
        previous = version
