"""The 填报 form's live check through the web app: server time of ``POST /api/fill/check`` (what
the form calls 200 ms after each keystroke) for a full draft, against last year's report in the
store, and of saving a version. In-process (no network), the app over a store holding the unit's
2023 report. Prints p50/p95 in milliseconds; the target is well under the 200 ms typing pause.

    .venv/bin/python bench/fill_check.py [REPEAT]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web_helpers import EXAMPLES, upload, web_client  # noqa: E402

import ogi  # noqa: E402
from ogi.fill import Draft  # noqa: E402


def _pct(times: list[float], p: float) -> float:
    return sorted(times)[min(len(times) - 1, int(p * len(times)))] * 1000


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    draft = Draft.from_report(ogi.parse(EXAMPLES / "hongze_2024_gov.txt")).to_json()
    wrong = json.loads(json.dumps(draft))
    wrong["cells"]["requests.total.total"] += 3
    with tempfile.TemporaryDirectory() as tmp, web_client(Path(tmp) / "b.duckdb") as client:
        upload(client, EXAMPLES / "hongze_2023_gov.txt")
        made = client.post("/api/drafts", json={"who": "bench", "draft": draft}).json()
        for name, body in (("check, consistent", draft), ("check, one total wrong", wrong)):
            client.post("/api/fill/check", json=body)  # warm: last year's report is loaded once
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                r = client.post("/api/fill/check", json=body)
                times.append(time.perf_counter() - t)
                assert r.status_code == 200
            print(f"{name:24s} p50 {_pct(times, 0.5):6.1f} ms  p95 {_pct(times, 0.95):6.1f} ms  "
                  f"mean {statistics.mean(times) * 1000:6.1f} ms  (n={repeat})")  # fmt: skip
        times = []
        for i in range(min(repeat, 50)):
            body = json.loads(json.dumps(draft))
            body["sections"]["overview"] += f"（第{i}次修改）"
            t = time.perf_counter()
            r = client.put(f"/api/drafts/{made['id']}", json={"who": "bench", "draft": body})
            times.append(time.perf_counter() - t)
            assert r.status_code == 200
        print(f"{'save a version':24s} p50 {_pct(times, 0.5):6.1f} ms  p95 {_pct(times, 0.95):6.1f} ms  "
              f"(n={len(times)})")  # fmt: skip


if __name__ == "__main__":
    main()
