"""Checks OTLP/JSON lines against the official protobuf definitions.

Usage: validate_otlp.py traces|logs|metrics < lines
Each line must parse, with no unknown field, into TracesData, LogsData or
MetricsData (opentelemetry-proto). OTLP/JSON writes trace and span ids as
hex where protobuf's JSON mapping expects base64, so ids are checked to be
hex of the right length and converted before parsing, as receivers do.
Prints how many lines it parsed, or exits 1 naming the line and the problem.
"""
import base64
import json
import re
import sys

from google.protobuf import json_format
from opentelemetry.proto.logs.v1.logs_pb2 import LogsData
from opentelemetry.proto.metrics.v1.metrics_pb2 import MetricsData
from opentelemetry.proto.trace.v1.trace_pb2 import TracesData

TYPES = {"traces": TracesData, "logs": LogsData, "metrics": MetricsData}
ID_LENGTHS = {"traceId": 32, "spanId": 16, "parentSpanId": 16}


def hex_ids_to_base64(node, where):
    if isinstance(node, list):
        for item in node:
            hex_ids_to_base64(item, where)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ID_LENGTHS and isinstance(value, str):
                if not re.fullmatch("[0-9a-f]{%d}" % ID_LENGTHS[key], value) or set(value) == {"0"}:
                    raise ValueError("%s: %s is not %d lower-case hex digits: %r" % (where, key, ID_LENGTHS[key], value))
                node[key] = base64.b64encode(bytes.fromhex(value)).decode()
            else:
                hex_ids_to_base64(value, where)


def main():
    message_type = TYPES[sys.argv[1]]
    parsed = 0
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            hex_ids_to_base64(data, "line %d" % number)
            message = json_format.Parse(json.dumps(data), message_type(), ignore_unknown_fields=False)
        except Exception as error:  # noqa: BLE001 - any failure is the answer
            print("line %d: %s" % (number, error), file=sys.stderr)
            sys.exit(1)
        parsed += 1 if message.ByteSize() >= 0 else 0
    print(parsed)


if __name__ == "__main__":
    main()
