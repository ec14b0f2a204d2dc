#!/usr/bin/env python3
"""The table of bench/tutorial_compare.sh: tutorial_compare_report.py RESULTS_DIR

Reads RESULTS_DIR/runs.jsonl (one line per run: source python|faithful|clean, setting none|http, repeat,
load averages, result file) and prints, per embedding setting, one markdown table: per source, op and
count, async and sync seconds and the speedup sync/async as median [min-max] over the repeats (the
speedup is computed per repeat, then summarised), next to the tutorial's published figures. Then the
load averages of every run, the checks (lost rows, failed operations, first-operation stalls, the clean
preset's search n=100 async faster than sync) and a non-zero exit status when a check fails.
"""
import json
import statistics
import sys
from pathlib import Path

# milvus-io/bootcamp integration/langchain/langchain_milvus_async.ipynb as published (run 2025-06-05,
# OpenAI embeddings, a Milvus server at localhost): seconds, async then sync.
PUBLISHED = {
    ("add", 10): (1.74, 5.36),
    ("add", 100): (2.77, 65.60),
    ("search", 10): (2.31, 6.07),
    ("search", 100): (3.72, 54.22),
    ("delete", 10): (0.58, 2.82),
    ("delete", 100): (0.61, 29.21),
}
KEYS = list(PUBLISHED)
SOURCES = [("python", "tutorial's Python (langchain-milvus)"), ("faithful", "milvus-loadtest tutorial-faithful"),
           ("clean", "milvus-loadtest tutorial-clean")]
SETTING_NAMES = {"none": "no embedding latency (in-process lexical embedding, 384 d)",
                 "http": "OpenAI-compatible HTTP embedding stub, fixed latency"}


def spread(values, digits=3, unit=""):
    if not values:
        return "n/a"
    med = statistics.median(values)
    return f"{med:.{digits}f}{unit} [{min(values):.{digits}f}-{max(values):.{digits}f}]"


def load_runs(results):
    """{(source, setting): [per-repeat {key: (async_s, sync_s)}]} plus the per-run notes."""
    table, notes, problems = {}, [], []
    for line in (results / "runs.jsonl").read_text().splitlines():
        run = json.loads(line)
        src, setting, path = run["source"], run["setting"], Path(run["file"])
        per = {}
        note = {"source": src, "setting": setting, "repeat": run["repeat"], "loadBefore": run["loadBefore"],
                "loadAfter": run["loadAfter"]}
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            problems.append(f"{src} {setting} #{run['repeat']}: no result ({exc})")
            notes.append(note)
            continue
        if src == "python":
            seconds = {}
            for row in data["rows"]:
                seconds[(row["op"], row["count"], row["mode"])] = row["seconds"]
            for op, count in KEYS:
                per[(op, count)] = (seconds.get((op, count, "async")), seconds.get((op, count, "sync")))
            after = data.get("rowsAfter", {})
            expected = {"add async": 110, "add sync": 110, "delete async": 900, "delete sync": 900}
            for k, want in expected.items():
                if k in after and after[k] != want:
                    problems.append(f"python {setting} #{run['repeat']}: {k} left {after[k]} rows, expected {want}")
            note["rowsAfter"] = after
        else:
            totals = data.get("totals", {})
            note["stalledPhases"] = totals.get("stalledPhases", 0)
            note["failed"] = totals.get("failed", 0)
            note["integrityProblems"] = totals.get("integrityProblems", 0)
            note["unbalancedPhases"] = totals.get("unbalancedPhases", 0)
            if data.get("error"):
                problems.append(f"{src} {setting} #{run['repeat']}: {data['error']}")
            for k in ("stalledPhases", "failed", "integrityProblems", "unbalancedPhases"):
                if note[k]:
                    problems.append(f"{src} {setting} #{run['repeat']}: {k} = {note[k]}")
            for row in data.get("tutorial", {}).get("rows", []):
                a, s = row.get("asyncSeconds", []), row.get("syncSeconds", [])
                per[(row["op"], int(row["count"]))] = (a[0] if a else None, s[0] if s else None)
        per["repeat"] = run["repeat"]
        table.setdefault((src, setting), []).append(per)
        notes.append(note)
    return table, notes, problems


def main():
    results = Path(sys.argv[1])
    table, notes, problems = load_runs(results)
    header = results / "header.txt"
    if header.exists():
        print("```")
        print(header.read_text().rstrip())
        print("```")
    settings = []
    for n in notes:
        if n["setting"] not in settings:
            settings.append(n["setting"])
    for setting in settings:
        print()
        print(f"### {SETTING_NAMES.get(setting, setting)}")
        print()
        print("| source | op | count | async s | sync s | speedup sync/async | published async / sync / speedup |")
        print("|---|---|---:|---|---|---|---|")
        for src, name in SOURCES:
            repeats = table.get((src, setting), [])
            if not repeats:
                continue
            for key in KEYS:
                a = [r[key][0] for r in repeats if key in r and r[key][0] is not None]
                s = [r[key][1] for r in repeats if key in r and r[key][1] is not None]
                ratio = [r[key][1] / r[key][0] for r in repeats
                         if key in r and r[key][0] and r[key][1] is not None]
                pa, ps = PUBLISHED[key]
                print(f"| {name} | {key[0]} | {key[1]} | {spread(a)} | {spread(s)} | {spread(ratio, 1, 'x')} "
                      f"| {pa:.2f} / {ps:.2f} / {ps / pa:.1f}x |")
    print()
    print("Runs in order (load average 1/5/15 min before and after each):")
    print()
    for n in notes:
        extra = ""
        if n["source"] == "python":
            extra = f"; rows after: {n.get('rowsAfter', {})}"
        elif "stalledPhases" in n:
            extra = (f"; failed {n['failed']}, first-op stalls {n['stalledPhases']}, integrity problems "
                     f"{n['integrityProblems']}, unbalanced {n['unbalancedPhases']}")
        print(f"- {n['setting']} #{n['repeat']} {n['source']}: load {n['loadBefore']} -> {n['loadAfter']}{extra}")
    print()
    # The acceptance: on the standalone, clean search n=100 async faster than sync (every repeat).
    for setting in settings:
        for per in table.get(("clean", setting), []):
            r_i = per["repeat"]
            a, s = per.get(("search", 100), (None, None))
            if a is None or s is None:
                problems.append(f"clean {setting} #{r_i}: no search n=100 figures")
            elif not a < s:
                problems.append(f"clean {setting} #{r_i}: search n=100 async {a:.3f} s is not faster than sync {s:.3f} s")
            else:
                print(f"check: clean {setting} #{r_i} search n=100 async {a:.3f} s < sync {s:.3f} s ({s / a:.1f}x)")
    if problems:
        print()
        for p in problems:
            print(f"PROBLEM: {p}")
        return 1
    print("check: no failed operations, lost rows, integrity problems or first-operation stalls in any run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
