#!/usr/bin/env python3
"""Which people-facing RPCs of proto/nms/v1 the browser clients call.

Lists every RPC of every service, drops the explicit sync-only exceptions (the federal sync job's
own calls), finds the RPCs whose generated client method (lowerCamelCase, e.g. `.listPeople(`)
is called in the browser clients' sources, prints "N of M people-facing RPCs are called by the
browser clients" with the uncalled ones, and fails when an RPC of the committed baseline is no
longer called (coverage may grow, never shrink). `--update` rewrites the baseline.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTO = ROOT / "proto" / "nms" / "v1"
SOURCES = [ROOT / "clients" / "web" / "src", ROOT / "clients" / "mobile" / "src", ROOT / "clients" / "shared"]
BASELINE = pathlib.Path(__file__).with_name("rpc_coverage_baseline.txt")

# Called only by the federal sync job over mTLS (nmsctl sync) or by the operator's nmsctl, never
# from a browser screen.
SYNC_ONLY = {
    "DirectoryService.CreateRegion": "operator-only: nmsctl region create sets up a new region and its first admin",
    "FederalExchangeService.StreamChanges": "change feed read by the sync job",
    "FederalExchangeService.ImportProgrammes": "programmes pushed by the sync job",
    "FederalExchangeService.ImportCompletions": "completions pushed by the sync job",
}


def rpcs():
    out = []
    for proto in sorted(PROTO.glob("*.proto")):
        service = None
        for line in proto.read_text(encoding="utf-8").splitlines():
            m = re.match(r"\s*service\s+(\w+)", line)
            if m:
                service = m.group(1)
            m = re.match(r"\s*rpc\s+(\w+)\s*\(", line)
            if m and service:
                out.append(f"{service}.{m.group(1)}")
    return out


def sources_text():
    parts = []
    for d in SOURCES:
        for f in sorted(d.rglob("*.ts")):
            if "/gen/" in f.as_posix() or "node_modules" in f.parts:
                continue
            parts.append(f.read_text(encoding="utf-8"))
    return "\n".join(parts)


def main():
    all_rpcs = rpcs()
    unknown = set(SYNC_ONLY) - set(all_rpcs)
    if unknown:
        print("sync-only exceptions that are not RPCs any more:", ", ".join(sorted(unknown)))
        return 1
    people = [r for r in all_rpcs if r not in SYNC_ONLY]
    text = sources_text()
    called = set()
    for r in people:
        method = r.split(".")[1]
        client = method[0].lower() + method[1:]
        # A direct stub call (`.listPeople(`), or the method named as a string: the teachers' app
        # queues its writes and sends them later by method name (clients/mobile/src/queue.ts).
        if re.search(r"\.\s*" + re.escape(client) + r"\s*\(", text) or re.search(r"[\"']" + re.escape(client) + r"[\"']", text):
            called.add(r)
    uncalled = [r for r in people if r not in called]
    print(f"{len(called)} of {len(people)} people-facing RPCs are called by the browser clients")
    print(f"uncalled ({len(uncalled)}):" + ("".join(f"\n  {r}" for r in uncalled) if uncalled else " none"))
    print(f"sync-only exceptions ({len(SYNC_ONLY)}):" + "".join(f"\n  {r} — {why}" for r, why in sorted(SYNC_ONLY.items())))
    if "--update" in sys.argv:
        BASELINE.write_text("".join(f"{r}\n" for r in sorted(called)), encoding="utf-8")
        print(f"baseline written: {BASELINE.relative_to(ROOT)}")
        return 0
    baseline = {l.strip() for l in BASELINE.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")}
    lost = sorted(r for r in baseline if r not in called)
    if lost:
        print("FAIL: covered before, uncalled now:" + "".join(f"\n  {r}" for r in lost))
        return 1
    gained = sorted(called - baseline)
    if gained:
        print(f"note: {len(gained)} newly covered RPCs are not in the baseline yet (run with --update)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
