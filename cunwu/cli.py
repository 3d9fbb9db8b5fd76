"""The `cunwu` command: check, build, serve … one subcommand per job."""

from __future__ import annotations

import argparse
import errno
import json
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .records.diagnostics import terminal_safe

if TYPE_CHECKING:   # rich is imported only when a bar is shown
    from rich.progress import Progress, TaskID

    from .site.engine import SiteJob


def cmd_check(args: argparse.Namespace) -> int:
    import gc

    from .records.checks import check_path

    path = Path(args.path)
    if not path.is_dir():
        print(f"{args.path}: error path.missing: 找不到文件夹“{args.path}”。请给出 villages 或某个村的文件夹。",
              file=sys.stderr)
        return 2
    # Villages are checked one at a time and let go (keep=False); what is alive at
    # any moment is one village's records, so the collector's passes need not run
    # as often as for a program that keeps what it allocates.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    cache = _check_cache(args, path)
    county, report = check_path(path, cache.load if cache else None, keep=False)
    items = report.sorted()
    if args.format == "json":
        json.dump({"villages": len(county.villages), "errors": len(report.errors),
                   "warnings": len(report.warnings), "diagnostics": [d.as_dict() for d in items]},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        _print_report(report)
        summary = (f"检查了 {len(county.villages)} 个村：{len(report.errors)} 个错误，"
                   f"{len(report.warnings)} 个提醒。")
        print(summary if items else summary + "全部通过。", file=sys.stderr)
    return 1 if report.errors else 0


def _check_cache(args: argparse.Namespace, path: Path):
    """The build's per-village cache (`--work`/cache), when a build has made the work
    folder here and it lies outside the checked folder: a village unchanged since it
    was last checked is read from it, diagnostics included. Without a work folder
    the check writes nothing at all."""
    from .records.cache import VillageCache

    work = Path(args.work).resolve()
    if args.no_cache or not work.is_dir() or work.is_relative_to(path.resolve()):
        return None
    return VillageCache(work / "cache", best_effort=True)


def _as_of(text: str | None):
    from datetime import date
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SystemExit(f"--as-of {text}: 日期请写成 年-月-日，例如 2026-11-21。") from None


def _print_report(report) -> None:
    for d in report.sorted():
        print(d.format())


def _project(args: argparse.Namespace, villages: Path) -> Path:
    """The folder with mkdocs.yml, theme/ and content/: --project, else the one
    holding the villages folder, else the working folder."""
    candidates = [Path(args.project)] if args.project else [villages.resolve().parent, Path.cwd()]
    for folder in candidates:
        if (folder / "mkdocs.yml").is_file():
            return folder.resolve()
    raise SystemExit(f"找不到 mkdocs.yml（在 {'、'.join(str(c) for c in candidates)} 中查找）。"
                     "请在项目文件夹中运行，或用 --project 指定。")


class BuildProgress:
    """Villages done / total on a terminal (a bar naming the village that failed);
    one line per site when the output goes to a file or a CI log."""

    LABELS = {"built": "已生成", "skipped": "未变化，沿用上次结果", "failed": "失败"}

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        if not quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            self.bar = Progress(TextColumn("生成网站"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                TextColumn("{task.description}"), console=Console(stderr=True), transient=False)
            self.bar.start()

    def update(self, job: SiteJob, status: str, seconds: float, done: int, total: int) -> None:
        if self.quiet:
            return
        what = self.LABELS[status] + (f"（{seconds:.1f} 秒）" if status == "built" and seconds else "")
        if self.bar is None:
            print(terminal_safe(f"[{done}/{total}] {job.label}（{job.key}）{what}"), file=sys.stderr)
            return
        if self.task is None:
            self.task = self.bar.add_task("", total=total)
        from rich.markup import escape  # a village name such as "[bold]" is text, not markup
        label = escape(terminal_safe(job.label))
        self.bar.update(self.task, completed=done, description=f"{label} {what}")
        if status == "failed":
            self.bar.console.print(f"[red]✗ {label}（{job.key}）生成失败[/red]")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import build_county
    from .site.engine import BuildError, resolve_engine
    from .site.publish import PublishError

    villages = Path(args.villages)
    if not villages.is_dir():
        print(f"{args.villages}: error path.missing: 找不到文件夹“{args.villages}”。", file=sys.stderr)
        return 2
    project = _project(args, villages)
    as_of = _as_of(args.as_of)

    progress = BuildProgress(quiet=args.quiet)
    try:
        # absolute: MkDocs resolves a relative --site-dir against the config file's folder
        plan, result = build_county(project, villages, Path(args.site), as_of, Path(args.work).resolve(),
                                    args.jobs, args.clean, on_done=progress.update,
                                    scheduler=args.scheduler, engine=resolve_engine(args.engine))
    except BuildError as exc:
        progress.close()
        print(terminal_safe(f"生成失败：{exc.site}\n{exc.message}\n已发布的网站保持不变。", keep_newlines=True),
              file=sys.stderr)
        return 1
    except PublishError as exc:   # another build holds the lock, or the site cannot be switched
        progress.close()
        print(f"未发布：{exc}\n已发布的网站保持不变。", file=sys.stderr)
        return 1
    except (OSError, MemoryError) as exc:
        progress.close()
        print(f"生成失败：{failure_message(exc)}\n已发布的网站保持不变。", file=sys.stderr)
        return 1
    progress.close()
    _print_report(plan.report)
    if result is None:
        print(f"检查发现 {len(plan.report.errors)} 个错误，未发布。请改正上面的错误后再生成；"
              f"已发布的网站保持不变。", file=sys.stderr)
        return 1
    if not result.published:
        print(f"没有变化：{args.site}/ 仍是上次发布的网站（{len(plan.jobs)} 个村）。", file=sys.stderr)
    else:
        print(f"已发布到 {args.site}/：{len(plan.jobs)} 个村，新生成 {len(result.built)} 个站点，"
              f"沿用 {len(result.skipped)} 个。", file=sys.stderr)
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from .site.publish import PublishError, rollback, site_lock

    site = Path(args.site)
    try:
        with site_lock(site):
            version = rollback(site)
    except PublishError as exc:
        print(f"未恢复：{exc}", file=sys.stderr)
        return 1
    print(f"已把 {args.site}/ 恢复为上一次发布的版本（{version.name}）。再次生成时会发布新的版本。", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .clerk.serve import serve_village
    return serve_village(_project(args, Path(args.villages)), Path(args.villages), args.village,
                         _as_of(args.as_of), args.dev_addr)


def cmd_new(args: argparse.Namespace) -> int:
    from .clerk.new import run
    return run(args)


def cmd_import(args: argparse.Namespace) -> int:
    if args.what in ("assets", "contracts"):
        from .clerk.books_import import run as run_books
        return run_books(args)
    if not args.month:
        print("cunwu import ledger 需要 --month 写明所属月份，例如 --month 2024-05。", file=sys.stderr)
        return 2
    from .clerk.importer import run
    return run(args)


def cmd_check_changed(args: argparse.Namespace) -> int:
    from .clerk.precommit import run
    return run(args)


def cmd_rollup(args: argparse.Namespace) -> int:
    from .county.portal import RollupError, rollup_published

    inputs = [Path(p) for p in args.inputs]
    for path in inputs:
        if not path.is_dir():
            print(f"{path}: error path.missing: 找不到文件夹“{path}”。请给出县门户网站目录（site）或其中的 data 目录。",
                  file=sys.stderr)
            return 2
    try:
        tables = rollup_published(Path(args.out), inputs, args.name, args.level)
    except RollupError as exc:
        print(f"汇总失败：{exc}", file=sys.stderr)
        return 1
    print(f"已汇总 {len(inputs)} 份数据到 {args.out}/（{len(tables)} 个表和 datapackage.json）。", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cunwu", description="村务公开网站生成工具")
    parser.add_argument("--version", action="version", version=f"cunwu {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="检查村务记录（不修改村务记录）")
    check.add_argument("path", nargs="?", default="villages", help="villages 文件夹或某个村的文件夹")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--work", default="build",
                       help="cunwu build 的中间文件目录（默认 build）：存在时沿用其中未改动的村的检查结果")
    check.add_argument("--no-cache", action="store_true", help="不读也不写 build 中的缓存，全部重新检查")
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="生成全县各村网站并发布到 site/（有错误时不发布）")
    build.add_argument("villages", nargs="?", default="villages", help="villages 文件夹")
    build.add_argument("--site", default="site", help="发布目录（默认 site）")
    build.add_argument("--work", default="build", help="中间文件目录（默认 build）")
    build.add_argument("--as-of", help="按哪一天生成（公示状态等），默认今天，格式 2026-11-21")
    build.add_argument("-j", "--jobs", type=int, default=None, help="同时生成几个村（默认 CPU 核数）")
    build.add_argument("--clean", action="store_true",
                       help="全部重新生成：不读 build 中的缓存、已生成的 Markdown 和网页（等于删除 build 后运行）")
    build.add_argument("--engine", choices=("auto", "mkdocs", "properdocs"), default="auto",
                       help="生成网页的引擎：mkdocs 或 properdocs（MkDocs 1.x 的维护分支）；"
                            "默认 auto：装有 MkDocs 1.x 时用它，否则用 ProperDocs")
    build.add_argument("--quiet", action="store_true", help="不显示进度")
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="在 Dask 集群上生成各村网站，例如 tcp://10.0.0.5:8786（需安装 cunwu[dask]）")
    build.add_argument("--project", help="项目目录（含 mkdocs.yml、theme、content），默认自动查找")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="预览一个村的网站，记录修改后自动刷新")
    serve.add_argument("village", help="村文件夹名，例如 qingshi")
    serve.add_argument("--villages", default="villages")
    serve.add_argument("--as-of", help="按哪一天显示，默认今天")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="预览地址（默认 127.0.0.1:8000）")
    serve.add_argument("--project", help="项目目录，默认自动查找")
    serve.set_defaults(func=cmd_serve)

    new = sub.add_parser("new", help="新建一份待填写的记录（村情、月度收支、决策、制度、评议、公示、资产、合同等）")
    new.add_argument("kind", choices=("village", "ledger", "decision", "rule", "evaluation", "notice",
                                      "assets", "contract", "debts", "plan", "distribution", "audit"),
                     help="village 村情简介 / ledger 月度收支 / decision 决策事项 / rule 村规民约等 / "
                          "evaluation 民主评议 / notice 公示 / assets 资产台账 / contract 资源发包合同 / "
                          "debts 债权债务 / plan 财务收支计划 / distribution 收益分配 / audit 经济责任审计")
    new.add_argument("village", help="村文件夹名（如 qingshi）或村名（如 青石村）；village 种类时是新村的文件夹名")
    new.add_argument("--villages", default="villages", help="villages 文件夹（默认 villages）")
    new.add_argument("--month", help="月份 YYYY-MM：ledger 默认上个月；decision、notice、audit 默认本月")
    new.add_argument("--year", help="evaluation、debts、distribution 的年度（默认上一年）；plan 的年度（默认今年）")
    new.add_argument("--title", help="decision、notice、rule、audit 的名称（会成为文件名）；assets 的标题")
    new.add_argument("--code", help="contract 的合同编号（会成为文件名），默认 HT今年-序号")
    new.add_argument("--opening", help="ledger 的期初余额（默认取上月期末余额）")
    new.add_argument("--name", help="village 的村名，例如 青石村")
    new.add_argument("--township", help="village 所属乡镇")
    new.add_argument("--kind", dest="rule_kind", help="rule 的种类：村规民约、村民自治章程、小微权力清单")
    new.add_argument("--column", help="notice 的栏目：党务、村务、财务、政务（默认 村务）")
    new.set_defaults(func=cmd_new)

    imp = sub.add_parser("import", help="把表格（xlsx/csv）导入为月度收支公开、资产台账或合同")
    imp.add_argument("what", choices=("ledger", "assets", "contracts"),
                     help="ledger 会计软件导出的收支明细 / assets 资产清单 / contracts 合同清单")
    imp.add_argument("file", help="表格文件：.xlsx 或 .csv")
    imp.add_argument("village", help="村文件夹名（如 qingshi）或村名")
    imp.add_argument("--month", help="ledger 的所属月份 YYYY-MM（必填）")
    imp.add_argument("--villages", default="villages", help="villages 文件夹（默认 villages）")
    imp.add_argument("--mapping", help="列对照文件（YAML），表头与常见写法不同时使用")
    imp.add_argument("--sheet", help="工作表名称（默认第一个）")
    imp.add_argument("--force", action="store_true", help="替换已有的当月文件（原文件备份到 .backup）")
    imp.add_argument("--allow-errors", action="store_true", help="跳过读不懂的行照样导入（会列出跳过的行）")
    imp.add_argument("--opening", help="期初余额（默认取表中期初行，或上月期末余额）")
    imp.add_argument("--posted", help="公布日期 YYYY-MM-DD（默认今天）")
    imp.add_argument("--review-by", help="审核人，多人用逗号隔开，例如 赵秀英,陈德明")
    imp.add_argument("--review-date", help="审核日期 YYYY-MM-DD")
    imp.set_defaults(func=cmd_import)

    changed = sub.add_parser("check-changed", help="检查改动的文件所在的村（供 git 提交前检查使用）")
    changed.add_argument("files", nargs="*", help="改动的文件")
    changed.add_argument("--villages", default="villages", help="villages 文件夹（默认 villages）")
    changed.set_defaults(func=cmd_check_changed)

    back = sub.add_parser("rollback", help="把已发布的网站恢复为上一次发布的版本")
    back.add_argument("--site", default="site", help="发布目录（默认 site）")
    back.set_defaults(func=cmd_rollback)

    rollup = sub.add_parser("rollup", help="把几个县（或市）公开的汇总数据合成上一级的汇总数据")
    rollup.add_argument("out", help="输出目录（写入 data/ 和 datapackage.json）")
    rollup.add_argument("inputs", nargs="+", help="各县门户网站目录（含 datapackage.json）或其 data 目录")
    rollup.add_argument("--name", default="汇总", help="上一级的名称，例如 某某市")
    rollup.add_argument("--level", default="市", help="上一级的层级，例如 市 或 省（默认 市）")
    rollup.set_defaults(func=cmd_rollup)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 1
    except (OSError, MemoryError) as exc:   # the machine, not the records: a message, never a traceback
        print(f"错误：{failure_message(exc)}", file=sys.stderr)
        return 1


# What a person can do about each failure of the machine (not of the records).
_OS_ADVICE = {
    errno.ENOSPC: "磁盘空间已满。请清理磁盘（例如删除 build 文件夹）后再运行",
    errno.EDQUOT: "磁盘配额已用完。请清理磁盘（例如删除 build 文件夹）后再运行",
    errno.EACCES: "没有写入（或读取）权限。请换一个有权限的文件夹，或请管理员开放权限",
    errno.EPERM: "没有写入（或读取）权限。请换一个有权限的文件夹，或请管理员开放权限",
    errno.EROFS: "这个位置只读，不能写入。请换一个文件夹",
    errno.ENAMETOOLONG: "文件名或路径太长。请把村文件夹改用简短的拼音名称，或把项目放在路径短一些的文件夹里",
    errno.ENOTDIR: "路径中有一段不是文件夹而是文件。请检查 --site、--work 等路径",
    errno.EEXIST: "这里已有一个同名的文件，不是文件夹。请换一个位置，或把这个文件改名",
    errno.EISDIR: "这里是一个文件夹，不是文件。请检查路径",
    errno.ENOENT: "找不到这个文件或文件夹",
    errno.EMFILE: "同时打开的文件太多。请减少 -j 同时生成的村数后再试",
    errno.EIO: "磁盘读写出错。请检查磁盘",
}


def failure_message(exc: BaseException) -> str:
    """A Chinese sentence for an OSError or MemoryError: what happened, where, what to do."""
    if isinstance(exc, MemoryError):
        return "内存不足。请关闭其他程序、减少 -j 同时生成的村数，或检查是否有特别大的文件。"
    assert isinstance(exc, OSError)
    code, where = exc.errno, exc.filename if exc.filename is not None else ""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        # copytree gathers each file's failure as (source, destination, "[Errno 28] …")
        source, _, why = exc.args[0][0]
        found = re.search(r"\[Errno (\d+)\]", str(why))
        code, where = (int(found.group(1)) if found else None), source
    place = f"（{terminal_safe(str(where))}）" if where else ""
    advice = _OS_ADVICE.get(code or 0, f"系统错误：{terminal_safe(exc.strerror or str(exc))}")
    return f"无法读写文件{place}：{advice}。"


if __name__ == "__main__":
    sys.exit(main())
