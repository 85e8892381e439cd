"""`make bench`: run every benchmark script in its own process and show what it reports."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["habits_bench.py", "loop_bench.py", "coaching_speed.py", "coaching_service_bench.py", "coaching_eval.py", "digests_bench.py", "metrics_bench.py", "load_checkins.py", "faults.py"]

failed = False
for script in SCRIPTS:
    path = HERE / script
    if not path.exists():
        continue
    print(f"\n=== {script}", flush=True)
    result = subprocess.run([sys.executable, str(path)], cwd=HERE)
    failed |= result.returncode != 0
sys.exit(1 if failed else 0)
