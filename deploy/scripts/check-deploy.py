#!/usr/bin/env python3
"""Checks the deployment files against what the executables expect (issue 11, item 7).

  check-deploy.py [--bin DIR]

deploy/k8s: one pod with the bus and the five services sharing the socket volume, each its
own non-root uid in one group, probes on /readyz and /healthz, each service's database URL
from a key the example Secret has, a Service per HTTP port. deploy/systemd: every unit
passes `systemd-analyze verify` (with ExecStart pointed at DIR, the built executables), and
any warning it prints is a failure. Exit 0 when all holds, 1 otherwise (each problem named).
"""
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SERVICES = {"intake": ("hotline-intake", 8080), "dispatch": ("hotline-dispatch", 8081), "supervision": ("hotline-supervision", 8082),
            "survey": ("hotline-callback-survey", 8083), "kpi": ("hotline-kpi", 8084)}
problems = []


def expect(ok, message):
    if not ok:
        problems.append(message)


def check_k8s():
    with open(os.path.join(ROOT, "deploy/k8s/hotline.yaml")) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    with open(os.path.join(ROOT, "deploy/k8s/secret.example.yaml")) as f:
        secret = yaml.safe_load(f)
    deployments = [d for d in docs if d["kind"] == "Deployment"]
    expect(len(deployments) == 1, "k8s: exactly one Deployment")
    if not deployments:
        return
    d = deployments[0]
    spec = d["spec"]
    expect(spec.get("replicas") == 1, "k8s: one replica (one writer per schema)")
    expect(spec.get("strategy", {}).get("type") == "Recreate", "k8s: Recreate, never two pods at once")
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"]["labels"]
    expect(pod.get("securityContext", {}).get("runAsNonRoot") is True, "k8s: runAsNonRoot")
    group = pod.get("securityContext", {}).get("runAsGroup")
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    expect("emptyDir" in volumes.get("run", {}), "k8s: the socket volume 'run' is an emptyDir")
    secret_volume = volumes.get("secrets", {}).get("secret", {}).get("secretName")
    expect(secret_volume == secret["metadata"]["name"], "k8s: the secrets volume mounts the example Secret's name")
    keys = set(secret.get("stringData", {}).keys())
    containers = {c["name"]: c for c in pod["containers"]}
    expect(set(containers) == {"bus"} | set(SERVICES), f"k8s: containers are the bus and the five services, not {sorted(containers)}")
    uids = set()
    for name, c in containers.items():
        sc = c.get("securityContext", {})
        uid = sc.get("runAsUser")
        expect(isinstance(uid, int) and uid > 0, f"k8s: {name} runs as a non-root uid")
        expect(uid not in uids, f"k8s: {name} has a uid of its own")
        uids.add(uid)
        expect(sc.get("allowPrivilegeEscalation") is False and sc.get("readOnlyRootFilesystem") is True,
               f"k8s: {name} cannot escalate and has a read-only root")
        mounts = {m["name"]: m["mountPath"] for m in c.get("volumeMounts", [])}
        expect(mounts.get("run") == "/run/hotline", f"k8s: {name} mounts the socket volume at /run/hotline")
        env = {e["name"]: e for e in c.get("env", [])}
        expect(env.get("HOTLINE_RUN_DIR", {}).get("value") == "/run/hotline", f"k8s: {name} has HOTLINE_RUN_DIR=/run/hotline")
        if name == "bus":
            expect(c["command"] == ["/usr/local/bin/hotline-bus"], "k8s: the bus runs hotline-bus")
            expect(env.get("HOTLINE_BUS_ALLOWED_GIDS", {}).get("value") == str(group), "k8s: the bus admits the pod's group")
            continue
        executable, port = SERVICES[name]
        expect(c["command"] == [f"/usr/local/bin/{executable}"], f"k8s: {name} runs {executable}")
        ports = [p["containerPort"] for p in c.get("ports", [])]
        expect(ports == [port], f"k8s: {name} listens on {port}")
        expect(env.get(f"HOTLINE_{name.upper()}_PORT", {}).get("value") == str(port), f"k8s: {name}'s port variable is {port}")
        expect(env.get("HOTLINE_HTTP_HOST", {}).get("value") == "0.0.0.0", f"k8s: {name} listens on every address")
        url = env.get(f"HOTLINE_{name.upper()}_DATABASE_URL", {}).get("valueFrom", {}).get("secretKeyRef", {})
        expect(url.get("name") == secret["metadata"]["name"] and url.get("key") in keys,
               f"k8s: {name}'s database URL comes from a key of the Secret")
        for variable in [v for v in env if v.endswith("_FILE")]:
            path = env[variable]["value"]
            expect(path.startswith(mounts.get("secrets", "/nowhere") + "/") and os.path.basename(path) in keys,
                   f"k8s: {name}'s {variable} is a key of the mounted Secret")
        expect(c.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/readyz", f"k8s: {name} is ready by /readyz")
        expect(c.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/healthz", f"k8s: {name} is alive by /healthz")
    services = [d for d in docs if d["kind"] == "Service"]
    exposed = {}
    for s in services:
        expect(s["spec"]["selector"].items() <= labels.items(), f"k8s: Service {s['metadata']['name']} selects the pod")
        for p in s["spec"]["ports"]:
            exposed[p["targetPort"]] = s["metadata"]["name"]
    expect(sorted(exposed) == sorted(p for _, p in SERVICES.values()), f"k8s: a Service per HTTP port, not {sorted(exposed)}")


def check_systemd(bin_dir):
    if shutil.which("systemd-analyze") is None:
        print("check-deploy: systemd-analyze not found; systemd units not verified")
        return
    source = os.path.join(ROOT, "deploy/systemd")
    with tempfile.TemporaryDirectory() as d:
        for name in os.listdir(source):
            with open(os.path.join(source, name)) as f:
                text = f.read().replace("/usr/local/bin", bin_dir)
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        units = ["hotline-bus.service", "hotline.target"] + [f"hotline@{SERVICES[s][0][len('hotline-'):]}.service" for s in SERVICES]
        for unit in units:
            if "@" in unit:
                shutil.copy(os.path.join(d, "hotline@.service"), os.path.join(d, unit))
            r = subprocess.run(["systemd-analyze", "verify", os.path.join(d, unit)], capture_output=True, text=True, cwd=d)
            said = (r.stdout + r.stderr).strip()
            expect(r.returncode == 0 and said == "", f"systemd: {unit}: {said or r.returncode}")


def main():
    bin_dir = "/usr/local/bin"
    if "--bin" in sys.argv:
        bin_dir = os.path.abspath(sys.argv[sys.argv.index("--bin") + 1])
    check_k8s()
    check_systemd(bin_dir)
    for p in problems:
        print("check-deploy: " + p)
    print("check-deploy: " + ("ok" if not problems else f"{len(problems)} problem(s)"))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
