#!/usr/bin/env python3
"""Checks the deployment files against what the executables expect (issue 11).

  check-deploy.py [--bin DIR]

docker-compose.yml: PostgreSQL, the bus and the five services from one image, each service
under the uid the bus binds its name to (and the Dockerfile creates), its own database URL
secret, healthchecks and depends_on service_healthy, ports on 127.0.0.1 by default, every
secret declared.
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


def identities(text):
    """HOTLINE_BUS_IDENTITIES → {name: {uid, …}}."""
    out = {}
    for part in (text or "").split(","):
        name, _, uid = part.strip().partition("=")
        out.setdefault(name, set()).add(int(uid))
    return out


def dockerfile_uids():
    """The users the Dockerfile creates: {bus name: uid} (callback-survey is the bus's survey)."""
    with open(os.path.join(ROOT, "deploy/Dockerfile")) as f:
        text = f.read()
    pairs = text.split("for u in ", 1)[1].split(";", 1)[0].split()
    return {name.replace("callback-survey", "survey"): int(uid) for name, uid in (p.split(":") for p in pairs)}


def check_compose():
    with open(os.path.join(ROOT, "docker-compose.yml")) as f:
        compose = yaml.safe_load(f)
    services = compose.get("services", {})
    expect(set(services) == {"postgres", "bus"} | set(SERVICES), f"compose: postgres, the bus and the five services, not {sorted(services)}")
    declared = set(compose.get("secrets", {}))
    for name, svc in services.items():
        for secret in svc.get("secrets", []):
            expect(secret in declared, f"compose: {name}'s secret {secret} is declared")
        expect("healthcheck" in svc, f"compose: {name} has a healthcheck")
    pg = services.get("postgres", {})
    mounts = " ".join(pg.get("volumes", []))
    expect("deploy/postgres/init.sql:/docker-entrypoint-initdb.d/" in mounts, "compose: PostgreSQL is initialised by init.sql")
    bus = services.get("bus", {})
    bound = identities(bus.get("environment", {}).get("HOTLINE_BUS_IDENTITIES"))
    made = dockerfile_uids()
    expect(str(bus.get("user", "")).split(":")[0] == str(made.get("bus")), "compose: the bus runs as the Dockerfile's hotline-bus")
    expect(bound.get("hotline") == {made.get("bus")}, "compose: admin commands are bound to the bus's uid")
    for name, (executable, port) in SERVICES.items():
        svc = services.get(name, {})
        uid, _, gid = str(svc.get("user", "")).partition(":")
        expect(uid.isdigit() and int(uid) == made.get(name), f"compose: {name} runs as the Dockerfile's uid for it ({made.get(name)})")
        expect(gid == str(bus.get("user", "")).partition(":")[2], f"compose: {name} is in the bus's group")
        expect(uid.isdigit() and bound.get(name) == {int(uid)}, f"compose: the bus binds {name} to its uid {uid}")
        expect(svc.get("command") == [f"/usr/local/bin/{executable}"], f"compose: {name} runs {executable}")
        expect(svc.get("image") == bus.get("image"), f"compose: {name} uses the bus's image")
        env = svc.get("environment", {})
        expect(env.get("HOTLINE_SERVICE") == name, f"compose: {name}'s health check knows its service")
        url = env.get(f"HOTLINE_{name.upper()}_DATABASE_URL_FILE")
        expect(url == f"/run/secrets/{name}-database-url" and f"{name}-database-url" in svc.get("secrets", []),
               f"compose: {name} reads its own database URL secret")
        ports = svc.get("ports", [])
        expect(len(ports) == 1 and ports[0].startswith("${HOTLINE_BIND:-127.0.0.1}:") and ports[0].endswith(f":{port}"),
               f"compose: {name} publishes {port} on 127.0.0.1 by default")
        depends = svc.get("depends_on", {})
        expect(all(depends.get(d, {}).get("condition") == "service_healthy" for d in ("bus", "postgres")),
               f"compose: {name} waits for a healthy bus and PostgreSQL")
        expect(svc.get("read_only") is True and svc.get("cap_drop") == ["ALL"], f"compose: {name} has a read-only root and no capabilities")


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
            bound = identities(env.get("HOTLINE_BUS_IDENTITIES", {}).get("value"))
            for other, oc in containers.items():
                expected = {oc.get("securityContext", {}).get("runAsUser")}
                expect(bound.get("hotline" if other == "bus" else other) == expected, f"k8s: the bus binds {other} to its container's uid")
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


def check_systemd_users():
    with open(os.path.join(ROOT, "deploy/systemd/hotline.sysusers.conf")) as f:
        users = {l.split()[1]: int(l.split()[2].split(":")[0]) for l in f if l.startswith("u ")}
    with open(os.path.join(ROOT, "deploy/systemd/hotline-bus.service")) as f:
        line = next((l for l in f if l.startswith("Environment=HOTLINE_BUS_IDENTITIES=")), "=")
    bound = identities(line.strip().split("=", 2)[2] if line.count("=") >= 2 else "")
    for name, (executable, _) in SERVICES.items():
        expect(bound.get(name) == {users.get(executable)}, f"systemd: the bus binds {name} to {executable}'s uid")
    expect(bound.get("hotline") == {users.get("hotline-bus")}, "systemd: admin commands are bound to hotline-bus")
    expect(users == {f"hotline-{n}": u for n, u in dockerfile_uids().items() if n != "survey"} | {"hotline-callback-survey": dockerfile_uids()["survey"]},
           "systemd: the same users and ids as the image")


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
    check_compose()
    check_k8s()
    check_systemd_users()
    check_systemd(bin_dir)
    for p in problems:
        print("check-deploy: " + p)
    print("check-deploy: " + ("ok" if not problems else f"{len(problems)} problem(s)"))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
