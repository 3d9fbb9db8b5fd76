"""The `cunwu` command: check, build, serve … one subcommand per job."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__


def cmd_check(args: argparse.Namespace) -> int:
    from .check import check_path

    path = Path(args.path)
    if not path.is_dir():
        print(f"{args.path}: error path.missing: 找不到文件夹“{args.path}”。请给出 villages 或某个村的文件夹。",
              file=sys.stderr)
        return 2
    county, report = check_path(path)
    items = report.sorted()
    if args.format == "json":
        json.dump({"villages": len(county.villages), "errors": len(report.errors),
                   "warnings": len(report.warnings), "diagnostics": [d.as_dict() for d in items]},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for d in items:
            print(d.format())
        summary = (f"检查了 {len(county.villages)} 个村：{len(report.errors)} 个错误，"
                   f"{len(report.warnings)} 个提醒。")
        print(summary if items else summary + "全部通过。", file=sys.stderr)
    return 1 if report.errors else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cunwu", description="村务公开网站生成工具")
    parser.add_argument("--version", action="version", version=f"cunwu {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="检查村务记录（不修改任何文件）")
    check.add_argument("path", nargs="?", default="villages", help="villages 文件夹或某个村的文件夹")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(func=cmd_check)
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


if __name__ == "__main__":
    sys.exit(main())
