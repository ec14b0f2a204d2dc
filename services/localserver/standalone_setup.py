"""Prepares a Milvus standalone 2.3.x data directory for Milvus Explorer, then exits.

Run by mx::LocalServer with the venv's python (never by hand): it uses the `milvus` PyPI package
(the official embedded build of the standalone server) only for its files and its config template,
so that the C++ side starts, watches and stops the real `milvus` binary itself (the package's
Python wrapper does not pass signals on).

argv[1] is a JSON object: data_dir, bin_base (binaries go to <bin_base>/bin, shared between data
directories and unpacked once, under a lock), proxy_port (0: pick a free one), extra (key: value
config overrides; the server's own TLS is tls_mode 1|2 with server_pem_path, server_key_path and
ca_pem_path, the keys of the package's config template: common.security.tlsMode and tls.*). Prints progress lines "progress <text>" and, last, one line "result <json>".
"""
import fcntl
import json
import os
import socket
import sys


def free_ports(count):
    """Distinct free loopback ports, held together while chosen so none repeats."""
    socks, ports = [], []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return ports


def main():
    args = json.loads(sys.argv[1])
    try:
        import milvus
    except ImportError as exc:
        print("error the Python package 'milvus' (the Milvus standalone server) is not installed "
              f"in this environment: {exc}", flush=True)
        return 3

    data_dir = os.path.abspath(args["data_dir"])
    bin_base = os.path.abspath(args.get("bin_base") or data_dir)
    os.makedirs(os.path.join(bin_base, "bin"), exist_ok=True)
    with open(os.path.join(bin_base, "bin", ".unpack.lock"), "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        exe = os.path.join(bin_base, "bin", "milvus")
        if not os.path.exists(exe):
            print("progress unpacking the Milvus standalone binaries (first start only)", flush=True)
        milvus._initialize_data_files(bin_base)  # checks checksums; unpacks what changed

    port_keys = ["proxy_internal_port", "root_coord_port", "query_coord_port", "query_node_port",
                 "index_coord_port", "index_node_port", "data_coord_port", "data_node_port", "etcd_port"]
    ports = free_ports(len(port_keys) + 4)
    chosen = dict(zip(port_keys, ports))
    chosen["proxy_port"] = int(args.get("proxy_port") or 0) or ports[len(port_keys)]
    metrics_port = ports[len(port_keys) + 1]
    etcd_client_port = ports[len(port_keys) + 2]
    etcd_peer_port = ports[len(port_keys) + 3]

    print("progress writing the server configuration", flush=True)
    cfg = milvus.MilvusServerConfig(data_dir=data_dir, **chosen)
    # The package probes each port with a bind without SO_REUSEADDR. After the server died (killed,
    # crashed) its old connections hold the proxy port in TIME_WAIT for a minute, so that probe refuses
    # the port a restart must keep (clients know it), although the server itself (Go listeners set
    # SO_REUSEADDR) binds it fine. Probe the way the server binds.
    def try_bind_port(port):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
            sock.listen()
            return sock
        except (OSError, ValueError, OverflowError):
            sock.close()
            return None
    cfg.try_bind_port = try_bind_port
    # Every component advertises loopback; without this they talk over the first non-loopback address.
    for component in ("rootCoord", "proxy", "queryCoord", "queryNode", "indexNode", "dataCoord",
                      "dataNode", "indexCoord"):
        cfg.set(component + ".ip", "127.0.0.1")
    for key, value in (args.get("extra") or {}).items():
        if key in cfg.configurable_items:
            cfg.configurable_items[key][1] = value
        else:
            cfg.set(key, value)
    cfg.resolve()

    # The embedded etcd reads its listen addresses from a file of its own (ETCD_CONFIG_PATH); its
    # defaults are fixed ports (2379, 2380), which two servers on one machine cannot share.
    etcd_config = os.path.join(data_dir, "configs", "embedEtcd.yaml")
    with open(etcd_config, "w", encoding="utf-8") as f:
        f.write("name: default\n"
                f"listen-client-urls: http://127.0.0.1:{etcd_client_port}\n"
                f"advertise-client-urls: http://127.0.0.1:{etcd_client_port}\n"
                f"listen-peer-urls: http://127.0.0.1:{etcd_peer_port}\n"
                f"initial-advertise-peer-urls: http://127.0.0.1:{etcd_peer_port}\n"
                f"initial-cluster: default=http://127.0.0.1:{etcd_peer_port}\n")
    os.makedirs(os.path.join(data_dir, "run"), exist_ok=True)

    result = {
        "executable": os.path.join(bin_base, "bin", "milvus"),
        "library_dir": os.path.join(bin_base, "bin"),
        "working_dir": data_dir,
        "log_dir": os.path.join(data_dir, "logs"),
        "proxy_port": chosen["proxy_port"],
        "metrics_port": metrics_port,
        "etcd_config": etcd_config,
        "ports": dict(chosen, metrics_port=metrics_port, etcd_client_port=etcd_client_port,
                      etcd_peer_port=etcd_peer_port),
        "version": milvus.__version__,
    }
    print("result " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
