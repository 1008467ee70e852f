#!/usr/bin/env python3
"""Makes the secrets the top-level docker-compose.yml reads, in ./secrets (or DIR):

  postgres-password              the PostgreSQL superuser's password
  <service>-database-url         each service's URL with its own role and a fresh password
  phone-hash-key, metrics-token  long random strings
  credentials.json               HOTLINE_CREDENTIALS_FILE: the SHA-256 of a fresh key for every
                                 channel and a fresh token for the centre, a callback agent, an
                                 auditor, an admin and each unit of the county
  tokens.txt                     the keys and tokens themselves (mode 600), shown nowhere else:
                                 hand each to its holder, then delete the file

use: make-secrets.py [--config DIR] [--force] [DIR]   (config: deploy/config)
Existing files are kept unless --force: running it again never changes a live password.
"""
import argparse, base64, hashlib, json, os, secrets, sys

SERVICES = ["intake", "dispatch", "supervision", "survey", "kpi"]


def token() -> str:
    return "hl_" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", nargs="?", default="secrets")
    parser.add_argument("--config", default="deploy/config")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.dir, mode=0o700, exist_ok=True)
    os.chmod(args.dir, 0o700)
    if os.path.exists(os.path.join(args.dir, "credentials.json")) and not args.force:
        print(f"make-secrets: {args.dir} already holds secrets (use --force to replace them)", file=sys.stderr)
        return 1

    def write(name: str, text: str, mode: int = 0o444) -> None:
        # Read-only for all inside the directory (mode 700): each container's non-root user reads
        # its own secrets, bind-mounted one by one; nobody else on the host gets in.
        path = os.path.join(args.dir, name)
        if os.path.exists(path):
            os.chmod(path, 0o600)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)

    write("postgres-password", token())
    for s in SERVICES:
        write(f"{s}-database-url", f"postgresql://hotline_{s}:{token()[3:]}@postgres:5432/hotline")
    write("phone-hash-key", token())
    write("metrics-token", token())

    with open(os.path.join(args.config, "channels.json")) as f:
        channels = [c["id"] for c in json.load(f)]
    with open(os.path.join(args.config, "units.json")) as f:
        units = [u["id"] for u in json.load(f)]
    lines, staff, keys = [], [], []
    for c in channels:
        t = token()
        keys.append({"channel": c, "key_sha256": hashlib.sha256(t.encode()).hexdigest()})
        lines.append(f"channel {c}: {t}")
    people = [("centre", "centre-1", None), ("callback_agent", "agent-1", None), ("auditor", "auditor-1", None),
              ("admin", "admin-1", None)] + [("unit", f"unit-{u}", u) for u in units]
    for role, name, unit in people:
        t = token()
        staff.append({"token_sha256": hashlib.sha256(t.encode()).hexdigest(), "role": role, "name": name, "unit": unit})
        lines.append(f"{role} {name}: {t}")
    write("credentials.json", json.dumps({"channels": keys, "staff": staff}, indent=1, ensure_ascii=False) + "\n")
    write("tokens.txt", "\n".join(lines) + "\n", mode=0o600)
    print(f"make-secrets: wrote {args.dir}/ ({len(keys)} channel keys, {len(staff)} staff tokens in tokens.txt: "
          "hand them out, then delete tokens.txt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
