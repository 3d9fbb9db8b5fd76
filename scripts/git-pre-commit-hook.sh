#!/bin/sh
# A plain git pre-commit hook for a county's records repository, for machines
# without the pre-commit framework. Install it once in the repository:
#
#     cp scripts/git-pre-commit-hook.sh .git/hooks/pre-commit
#     chmod +x .git/hooks/pre-commit
#
# It checks the villages whose files are staged (`cunwu check-changed`) and
# stops the commit when `cunwu check` finds an error. PYTHON may name the
# Python that has cunwu installed (default: the `cunwu` command, else python3).
# Note: it checks the files as they are in the folder; the pre-commit framework
# (.pre-commit-hooks.yaml) also sets aside changes that were not staged.
set -e
if [ -n "$PYTHON" ]; then
    set -- "$PYTHON" -m cunwu
elif command -v cunwu >/dev/null 2>&1; then
    set -- cunwu
else
    set -- python3 -m cunwu
fi
git -c core.quotePath=false diff --cached --name-only -z --diff-filter=ACMRD -- villages/ \
    | xargs -0 -r "$@" check-changed
