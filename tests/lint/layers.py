#!/usr/bin/env python3
"""Fails on a back-edge between the server's layers.

The server is built in layers (CMakeLists.txt, nms_layer): domain <- common, mapping <- db <- auth
<- services <- transport <- main. A file may include its own layer and the layers below it, never
one above; the pure domain reaches no gRPC, protobuf or SQL; repositories never reach gRPC; only
repositories talk SQL text and handle the driver's exceptions (services hold a connection handle
and pass it down).
Run from anywhere: python3 tests/lint/layers.py [repo root]."""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2])

# Layer -> the server layers it may include (its own included).
ALLOWED = {
    "domain": {"domain"},
    "common": {"common", "domain"},
    "mapping": {"mapping", "domain"},
    "db": {"db", "common", "mapping", "domain"},
    "auth": {"auth", "db", "common", "mapping", "domain"},
    "services": {"services", "auth", "db", "common", "mapping", "domain"},
    "transport": {"transport", "services", "auth", "db", "common", "mapping", "domain"},
}
# System headers a layer must not reach, with the reason shown on failure.
FORBIDDEN_SYSTEM = {
    "domain": [(re.compile(r'^(grpc|grpcpp|google/protobuf|nms/v1/|cppconn|mysql|mysqlx)'),
                "the domain is plain C++: no gRPC, protobuf or SQL")],
    "db": [(re.compile(r'^(grpc|grpcpp)'), "repositories do not know the transport")],
    "mapping": [(re.compile(r'^(grpc|grpcpp|cppconn|mysql)'), "mapping is proto <-> values only")],
}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')
# SQL text outside repositories: a string literal that starts a statement.
SQL_TEXT = re.compile(r'"\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|SAVEPOINT|RELEASE|ROLLBACK)\s+[A-Za-z(*]')
SQL_FREE = {"domain", "common", "mapping", "auth", "services", "transport"}
# Driver exceptions are turned into statuses in server/db (sql.h): nothing above catches them.
SQL_EXCEPTION = re.compile(r'\bsql::SQLException\b')


def main() -> int:
    problems = []
    files = 0
    for path in sorted((ROOT / "server").rglob("*")):
        if path.suffix not in (".h", ".cc"):
            continue
        rel = path.relative_to(ROOT)
        if len(rel.parts) < 3:  # server/main.cc: the top, may include anything
            continue
        layer = rel.parts[1]
        if layer not in ALLOWED:
            problems.append(f"{rel}: folder server/{layer} is no layer known to tests/lint/layers.py")
            continue
        files += 1
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if m:
                inc = m.group(1)
                if inc.startswith("server/"):
                    target = inc.split("/")[1]
                    if target not in ALLOWED[layer]:
                        problems.append(f"{rel}:{n}: {layer} includes {inc} ({target} is a layer above)")
                for pattern, why in FORBIDDEN_SYSTEM.get(layer, []):
                    if pattern.search(inc):
                        problems.append(f"{rel}:{n}: {layer} includes <{inc}>: {why}")
            if layer in SQL_FREE and SQL_TEXT.search(line):
                problems.append(f"{rel}:{n}: SQL text in {layer}; SQL belongs to server/db")
            if layer in SQL_FREE and SQL_EXCEPTION.search(line):
                problems.append(f"{rel}:{n}: {layer} handles sql::SQLException; driver errors become statuses in server/db")
    for p in problems:
        print(p)
    print(f"layers: {files} files checked, {len(problems)} back-edge(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
