#!/usr/bin/env python3
"""OBEX push benchmark over loopback TCP (run by bench/obex/run.sh).

Pushes a 64 KB and a 1 MB file, alternating our client (`psacaster push`)
and obexftp, first to our server (`psacaster serve-obex`), then to a PyOBEX
server. Every push is a fresh process (as in use), so wall times include
process start-up; the in-session time our client reports is shown too.
Prints medians: wall time, throughput, client CPU (user+sys of the client
process) and server CPU per push, and the time ratio ours/obexftp.
"""
import json, os, resource, shutil, statistics, subprocess, sys, tempfile, time

PSACASTER, PYTHON, PEER = sys.argv[1], sys.argv[2], sys.argv[3]
ROUNDS = {64 * 1024: int(os.environ.get("BENCH_ROUNDS_64K", 30)), 1 << 20: int(os.environ.get("BENCH_ROUNDS_1M", 15))}
OBEXFTP = shutil.which("obexftp")


def cpu_of_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cpu_of_pid(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for_line(path, prefix, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        if os.path.exists(path):
            for line in open(path, errors="replace"):
                if prefix in line:
                    return line
        time.sleep(0.05)
    raise SystemExit(f"bench: server did not start ({path})")


def push(client, port, src_dir, name):
    """One push as a fresh process; returns (wall s, client CPU s, in-session s or None)."""
    if client == "ours":
        cmd = [PSACASTER, "push", os.path.join(src_dir, name), "--tcp", f"127.0.0.1:{port}", "--json"]
    else:
        cmd = [OBEXFTP, "-n", f"127.0.0.1:{port}", "-U", "none", "-H", "-S", "-p", name]
    cpu0 = cpu_of_children()
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=src_dir, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    cpu = cpu_of_children() - cpu0
    session = None
    if client == "ours":
        if p.returncode != 0:
            raise SystemExit(f"bench: our push failed: {p.stdout.decode()}")
        session = json.loads(p.stdout)["objects"][0]["seconds"]
    return wall, cpu, session


def batch(label, port, server_pid, src_dir, inbox, size, count=20):
    """Our client pushing `count` objects in one session (one process), as
    the broadcast service does in-process: per-object cost without start-up."""
    names = []
    for i in range(count):
        name = f"batch-{size}-{i}.opus"
        shutil.copyfile(os.path.join(src_dir, f"bench-{size}.opus"), os.path.join(src_dir, name))
        names.append(name)
    cpu0, s0 = cpu_of_children(), cpu_of_pid(server_pid)
    t0 = time.perf_counter()
    p = subprocess.run([PSACASTER, "push", *names, "--tcp", f"127.0.0.1:{port}", "--json"], cwd=src_dir,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    report = json.loads(p.stdout)
    if report["delivered"] != count:
        raise SystemExit(f"bench: batch to {label}: {report}")
    session = sum(o["seconds"] for o in report["objects"])
    for name in names:
        os.remove(os.path.join(src_dir, name))
        if os.path.exists(os.path.join(inbox, name)):
            os.remove(os.path.join(inbox, name))
    return {"server": label, "size": size, "count": count, "wall": wall, "session": session,
            "client_cpu": cpu_of_children() - cpu0, "server_cpu": cpu_of_pid(server_pid) - s0}


def run_against(label, port, server_pid, src_dir, inbox):
    rows = []
    for size, rounds in ROUNDS.items():
        name = f"bench-{size}.opus"
        results = {"ours": [], "obexftp": []}
        clients = ["ours", "obexftp"] if OBEXFTP else ["ours"]
        for i in range(rounds):
            for client in (clients if i % 2 == 0 else list(reversed(clients))):
                target = os.path.join(inbox, name)
                if os.path.exists(target):
                    os.remove(target)
                s0 = cpu_of_pid(server_pid)
                wall, cpu, session = push(client, port, src_dir, name)
                for _ in range(100):            # the server may finish its write after answering
                    if os.path.exists(target) and os.path.getsize(target) == size:
                        break
                    time.sleep(0.01)
                else:
                    raise SystemExit(f"bench: {client} -> {label}: {name} did not arrive complete")
                results[client].append((wall, cpu, session, cpu_of_pid(server_pid) - s0))
        for client in clients:
            r = results[client]
            wall = statistics.median(x[0] for x in r)
            rows.append({
                "server": label, "size": size, "client": client, "runs": len(r), "wall": wall,
                "mbps": size / wall / 1e6, "client_cpu": statistics.median(x[1] for x in r),
                "server_cpu": statistics.median(x[3] for x in r),
                "session": statistics.median(x[2] for x in r) if client == "ours" else None,
            })
    return rows


def main():
    work = tempfile.mkdtemp(prefix="psacaster-bench-obex-")
    src, ours_in, py_in = (os.path.join(work, d) for d in ("src", "ours-in", "py-in"))
    for d in (src, ours_in, py_in):
        os.makedirs(d)
    for size in ROUNDS:
        with open(os.path.join(src, f"bench-{size}.opus"), "wb") as f:
            f.write(os.urandom(size))
    procs = []
    try:
        err = os.path.join(work, "serve.err")
        ours = subprocess.Popen([PSACASTER, "serve-obex", "--tcp", "127.0.0.1:0", "--dir", ours_in],
                                stdout=subprocess.DEVNULL, stderr=open(err, "w"))
        procs.append(ours)
        ours_port = int(wait_for_line(err, "listening on").rsplit(":", 1)[1].split(",")[0])
        pyout = os.path.join(work, "py.out")
        py = subprocess.Popen([PYTHON, PEER, "server", "--dir", py_in, "--port", "0"], stdout=open(pyout, "w"), stderr=subprocess.STDOUT)
        procs.append(py)
        py_port = int(wait_for_line(pyout, "listening").split()[1])
        rows = run_against("psacaster serve-obex", ours_port, ours.pid, src, ours_in)
        rows += run_against("PyOBEX server", py_port, py.pid, src, py_in)
        batches = [batch(label, port, pid, src, inbox, size)
                   for label, port, pid, inbox in (("psacaster serve-obex", ours_port, ours.pid, ours_in), ("PyOBEX server", py_port, py.pid, py_in))
                   for size in ROUNDS]
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        shutil.rmtree(work, ignore_errors=True)

    print(f"{'server':22} {'size':>6} {'client':8} {'runs':>4} {'wall ms':>8} {'MB/s':>7} {'client CPU ms':>13} {'server CPU ms':>13} {'in-session ms':>13}")
    for r in rows:
        size = "64KB" if r["size"] < 1 << 20 else "1MB"
        sess = f"{r['session'] * 1000:13.1f}" if r["session"] is not None else f"{'-':>13}"
        print(f"{r['server']:22} {size:>6} {r['client']:8} {r['runs']:>4} {r['wall'] * 1000:8.1f} {r['mbps']:7.1f} "
              f"{r['client_cpu'] * 1000:13.1f} {r['server_cpu'] * 1000:13.1f} {sess}")
    print()
    print("our client, 20 objects in one session (no process start-up per object):")
    for b in batches:
        size = "64KB" if b["size"] < 1 << 20 else "1MB"
        print(f"  {b['server']:22} {size:>5}: {b['session'] / b['count'] * 1000:6.1f} ms/object in session "
              f"({b['size'] * b['count'] / b['session'] / 1e6:5.1f} MB/s), whole process {b['wall'] * 1000:6.0f} ms, "
              f"client CPU {b['client_cpu'] / b['count'] * 1000:5.1f} ms/object, server CPU {b['server_cpu'] / b['count'] * 1000:5.1f} ms/object")
    print()
    for server in ("psacaster serve-obex", "PyOBEX server"):
        for size in ROUNDS:
            o = [r for r in rows if r["server"] == server and r["size"] == size and r["client"] == "ours"]
            f = [r for r in rows if r["server"] == server and r["size"] == size and r["client"] == "obexftp"]
            if o and f:
                label = "64KB" if size < 1 << 20 else "1MB"
                print(f"time ratio ours/obexftp  {server:22} {label:>5}: {o[0]['wall'] / f[0]['wall']:.2f}"
                      f"   (in-session throughput ours: {size / o[0]['session'] / 1e6:.0f} MB/s)" if o[0]["session"] else "")


if __name__ == "__main__":
    main()
