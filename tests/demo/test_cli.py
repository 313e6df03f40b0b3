"""The standalone runner: prints root, client and key, serves, and stops on Ctrl+C."""
from __future__ import annotations

import signal
import subprocess
import sys

import httpx

CODE = "import sys; from boxoffice.demo.cli import run_server; sys.exit(run_server(sys.argv[1:]))"


def test_run_server_subprocess():
    proc = subprocess.Popen(
        [sys.executable, "-c", CODE, "--port", "0", "--seed", "4", "--api-key", "demo-key-123",
         "--hold-seconds", "60", "--auto-pay-after", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(5)]
        info = dict(line.strip().split(": ", 1) for line in lines if ": " in line)
        root = info["API root"].strip()
        assert root.startswith("http://127.0.0.1:") and root.endswith("/v1")
        assert info["client name"].strip() == "demo"
        assert info["API key"].strip() == "demo-key-123"
        assert httpx.get(f"{root}/demo/events").status_code == 200
        r = httpx.get(f"{root}/demo/peppered/hall", headers={"Authorization": "demo-key-123"})
        assert r.status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "stopped" in out
    assert "Traceback" not in err


def test_run_server_rejects_non_loopback(capsys):
    from boxoffice.demo.cli import run_server

    assert run_server(["--host", "0.0.0.0", "--port", "0"]) == 2
    assert "loopback" in capsys.readouterr().err
