// Every standard device: its module line, connect call, packages and boot arguments on unix and
// on a Solo5 target (hvt), and the refusal of targets it does not support.
import assert from "node:assert/strict";
import {
  alpnClient,
  apply,
  arpv4,
  block,
  conduit,
  dnsClient,
  ethernet,
  fn,
  gitClient,
  happyEyeballs,
  http,
  httpClient,
  httpServer,
  type Impl,
  impl,
  ipv4,
  ipv4v6,
  ipv6,
  job,
  kvRo,
  kvRw,
  main,
  mimic,
  network,
  qubesdb,
  resolver,
  runtimeArg,
  stackv4v6,
  syslog,
  tcpv4v6,
  type Typ,
  udpv4v6,
} from "unik";
import { showPackage } from "../lib/dsl/package.ts";
import { configureJobs } from "./helpers.ts";
import * as B from "../plugins/block.ts";
import * as K from "../plugins/kv.ts";
import * as N from "../plugins/network.ts";
import * as E from "../plugins/ethernet.ts";
import * as A from "../plugins/arp.ts";
import * as I from "../plugins/ip.ts";
import * as U from "../plugins/udp.ts";
import * as T from "../plugins/tcp.ts";
import * as S from "../plugins/stack.ts";
import * as R from "../plugins/resolver.ts";
import * as H from "../plugins/happy_eyeballs.ts";
import * as D from "../plugins/dns.ts";
import * as L from "../plugins/syslog.ts";
import * as M from "../plugins/monitoring.ts";
import * as C from "../plugins/conduit.ts";
import * as P from "../plugins/http.ts";
import * as Mi from "../plugins/mimic.ts";
import * as G from "../plugins/git.ts";
import * as Q from "../plugins/qubesdb.ts";

/** A job using `device` as the argument of a functor `App.Make`. */
function use<T>(t: Typ<T>, device: Impl<T>): Impl<"job"> {
  return apply(main("App.Make", fn(t, job)), device);
}

interface Expect {
  /** A line of main.ml (a module application or a connect call). */
  readonly lines: readonly (string | RegExp)[];
  /** Packages as printed in the opam file. */
  readonly packages?: readonly string[];
  /** Runtime argument codes registered. */
  readonly args?: readonly string[];
}

function check(name: string, make: () => Impl<"job">, target: string, expect: Expect, keys = {}) {
  Deno.test(`${name} on ${target}`, () => {
    const c = configureJobs([make()], target, keys);
    const mainMl = c.queries["main.ml"];
    for (const l of expect.lines) {
      if (typeof l === "string") {
        assert.ok(mainMl.includes(l), `${name}/${target}: missing ${l}\n${mainMl}`);
      } else assert.match(mainMl, l, `${name}/${target}`);
    }
    const pkgs = c.packages.map(showPackage);
    for (const p of expect.packages ?? []) {
      assert.ok(pkgs.includes(p), `${name}/${target}: ${p} not in\n${pkgs.join("\n")}`);
    }
    for (const a of expect.args ?? []) {
      assert.ok(
        mainMl.includes(`register_arg @@\n# `) && mainMl.includes(`  ${a}\n;;`),
        `${name}/${target}: arg ${a}`,
      );
    }
  });
}

function refused(
  name: string,
  make: () => Impl<"job">,
  target: string,
  supported: string,
  keys = {},
) {
  Deno.test(`${name} is refused on ${target}`, () => {
    assert.throws(
      () => configureJobs([make()], target, keys),
      new RegExp(`does not support the target ${target}; it supports ${supported}`),
    );
  });
}

const tcpipPkg = '"tcpip" { ?monorepo & >= "9.0.0" & < "10.0.0" }';
const net = () => N.defaultNetwork;
const stackOf = () => S.genericStackv4v6(N.defaultNetwork);

// Block devices.
check("blockOfFile", () => use(block, B.blockOfFile("disk.img")), "unix", {
  lines: ['Block.connect "disk.img"'],
  packages: ['"mirage-block-unix" { ?monorepo & >= "2.12.0" & < "3.0.0" }'],
});
check("blockOfFile", () => use(block, B.blockOfFile("storage")), "hvt", {
  lines: ['Block.connect "storage"'],
  packages: ['"mirage-block-solo5" { ?monorepo & >= "0.8.0" & < "0.9.0" }'],
});
check("blockOfFile", () => use(block, B.blockOfFile("disk.img")), "xen", {
  lines: ['Block.connect "51728"'],
  packages: ['"mirage-block-xen" { ?monorepo & >= "2.1.0" & < "3.0.0" }'],
});
refused(
  "blockOfFile",
  () => use(block, B.blockOfFile("disk.img")),
  "muen",
  "hvt, spt, virtio, genode",
);
check("blockOfXenstoreId", () => use(block, B.blockOfXenstoreId("51760")), "xen", {
  lines: ['Block.connect "51760"'],
});
refused("blockOfXenstoreId", () => use(block, B.blockOfXenstoreId("51760")), "unix", "xen, qubes");
for (const target of ["unix", "hvt"]) {
  check("ramdisk", () => use(block, B.ramdisk("rd")), target, {
    lines: ['Ramdisk.connect ~name:"rd"'],
    packages: ['"mirage-block-ramdisk" { ?monorepo }'],
  });
}
check("genericBlock", () => use(block, B.genericBlock("disk.img")), "unix", {
  lines: ['Ramdisk.connect ~name:"disk.img"'],
});
check("genericBlock --block=file", () => use(block, B.genericBlock("disk.img")), "unix", {
  lines: ['Block.connect "disk.img"'],
}, { block: "file" });
for (const target of ["unix", "hvt"]) {
  check(
    "ccmBlock",
    () =>
      use(block, B.ccmBlock(runtimeArg<string>("Unikernel.key"), B.ramdisk("rd"), { nonceLen: 8 })),
    target,
    {
      lines: [
        /module Block_ccm_make__\d+ = Block_ccm\.Make\(Ramdisk\)/,
        /connect \?nonce_len:\(Some 8\) ~key:\(Cstruct\.of_hex key\) _ramdisk__\d+/,
      ],
      packages: ['"mirage-block-ccm" { ?monorepo & >= "2.0.0" & < "3.0.0" }'],
      args: ["Unikernel.key"],
    },
  );
}

// Key-value stores.
for (const target of ["unix", "hvt"]) {
  check("crunch", () => use(kvRo, K.crunch("htdocs")), target, {
    lines: ["Static_htdocs.connect ()"],
    packages: [
      '"crunch" { ?monorepo & build & >= "4.0.0" & < "5.0.0" }',
      '"mirage-kv-mem" { ?monorepo & >= "4.0.0" & < "5.0.0" }',
    ],
  });
  check("tarKvRo", () => use(kvRo, K.tarKvRo(B.ramdisk("rd"))), target, {
    lines: [/= Tar_mirage\.Make_KV_RO\(Ramdisk\)/],
    packages: ['"tar-mirage" { ?monorepo & >= "1.0.0" & < "4.0.0" }'],
  });
  check("tarKvRw", () => use(kvRw, K.tarKvRw(B.ramdisk("rd"))), target, {
    lines: [/= Tar_mirage\.Make_KV_RW\(Ramdisk\)/],
  });
  check("fatRo", () => use(kvRo, K.fatRo(B.ramdisk("rd"))), target, {
    lines: [/= Fat\.KV_RO\(Ramdisk\)/],
    packages: ['"fat-filesystem" { ?monorepo & >= "0.15.0" & < "0.16.0" }'],
  });
  check(
    "chamelon",
    () =>
      use(
        kvRw,
        K.chamelon(B.ramdisk("rd"), { programBlockSize: runtimeArg<number>("Unikernel.pbs") }),
      ),
    target,
    {
      lines: [/Kv_make__\d+\.connect ~program_block_size:_unikernel_pbs _ramdisk__\d+/],
      args: ["Unikernel.pbs"],
    },
  );
  check("kvRwMem", () => use(kvRw, K.kvRwMem()), target, { lines: ["Mirage_kv_mem.connect ()"] });
}
check("directKvRo", () => use(kvRo, K.directKvRo("t")), "unix", {
  lines: ['Mirage_kv_unix.connect "t"'],
  packages: ['"mirage-kv-unix" { ?monorepo & >= "2.1.0" & < "3.0.0" }'],
});
check("directKvRo", () => use(kvRo, K.directKvRo("t")), "hvt", { lines: ["Static_t.connect ()"] });
check("genericKvRo", () => use(kvRo, K.genericKvRo("t")), "unix", {
  lines: ["Static_t.connect ()"],
});
check("genericKvRo --kv_ro=direct", () => use(kvRo, K.genericKvRo("t")), "unix", {
  lines: ['Mirage_kv_unix.connect "t"'],
}, { kv_ro: "direct" });
check("directKvRw", () => use(kvRw, K.directKvRw("data")), "unix", {
  lines: ['Mirage_kv_unix.connect "data"'],
});
refused("directKvRw", () => use(kvRw, K.directKvRw("data")), "hvt", "unix, macosx");
check("docteur", () => use(kvRo, K.docteur("relativize://data")), "unix", {
  lines: [
    /Docteur_unix_fast__\d+|Docteur_unix\.Fast\.connect ~analyze:_mirage_runtime_analyze "disk\.img"/,
  ],
  packages: ['"docteur-unix" { ?monorepo & >= "0.0.6" }'],
  args: ["Mirage_runtime.analyze"],
});
check("docteur", () => use(kvRo, K.docteur("relativize://data")), "hvt", {
  lines: ['Docteur_solo5.Fast.connect ~analyze:_mirage_runtime_analyze "docteur"'],
  packages: ['"docteur-solo5" { ?monorepo & >= "0.0.6" }'],
});

// Network, Ethernet, ARP, IP.
check("netif", () => use(network, N.netif("tap1")), "unix", {
  lines: ["Netif.connect _mirage_runtime_network_interface_tap1"],
  packages: ['"mirage-net-unix" { ?monorepo & >= "3.0.0" & < "4.0.0" }'],
  args: ['Mirage_runtime_network.interface "tap1"'],
});
check("netif", () => use(network, N.netif("service")), "hvt", {
  lines: ['Netif.connect "service"'],
  packages: ['"mirage-net-solo5" { ?monorepo & >= "0.8.0" & < "0.9.0" }'],
});
check("defaultNetwork", () => use(network, net()), "unix", {
  args: ['Mirage_runtime_network.interface "tap0"'],
  lines: [],
});
check("defaultNetwork", () => use(network, net()), "xen", {
  args: ['Mirage_runtime_network.interface "0"'],
  lines: [],
  packages: ['"mirage-net-xen" { ?monorepo & >= "2.1.0" & < "3.0.0" }'],
});
for (const target of ["unix", "hvt"]) {
  check("ethif", () => use(ethernet, E.ethif(net())), target, {
    lines: [
      /module Ethernet_make__\d+ = Ethernet\.Make\(Netif\)/,
      /Ethernet_make__\d+\.connect _netif__\d+/,
    ],
    packages: ['"ethernet" { ?monorepo & >= "3.0.0" & < "4.0.0" }'],
  });
  check("arp", () => use(arpv4, A.arp(E.ethif(net()))), target, {
    lines: [/= Arp\.Make\(Ethernet_make__\d+\)/],
    packages: ['"arp" { ?monorepo & >= "4.0.0" & < "5.0.0" }'],
  });
  check(
    "createIpv4",
    () => {
      const e = E.ethif(net());
      return use(
        ipv4,
        I.createIpv4(e, A.arp(e), {
          group: "g",
          config: { network: "192.168.1.2/24", gateway: "192.168.1.1" },
        }),
      );
    },
    target,
    {
      lines: [
        /= Static_ipv4\.Make\(Ethernet_make__\d+\)\(Arp_make__\d+\)/,
        /\.connect ~no_init:\S+ ~cidr:\S+ \?gateway:\S+ _ethernet_make__\d+ _arp_make__\d+/,
      ],
      packages: [tcpipPkg],
      args: [
        'Mirage_runtime_network.V4.network ~group:"g" (Ipaddr.V4.Prefix.of_string_exn "192.168.1.2/24")',
        'Mirage_runtime_network.V4.gateway ~group:"g" (Some (Ipaddr.V4.of_string_exn "192.168.1.1"))',
        'Mirage_runtime_network.ipv6_only ~group:"g" ()',
      ],
    },
  );
  check(
    "ipv4OfDhcp",
    () => {
      const e = E.ethif(net());
      return use(ipv4, I.ipv4OfDhcp(net(), e, A.arp(e)));
    },
    target,
    {
      lines: [/= Dhcp_ipv4\.Make\(Netif\)\(Ethernet_make__\d+\)\(Arp_make__\d+\)/],
      packages: ['"charrua-client" { ?monorepo & >= "2.0.0" & < "3.0.0" }'],
    },
  );
  check("createIpv6", () => use(ipv6, I.createIpv6(net(), E.ethif(net()))), target, {
    lines: [
      /= Ipv6\.Make\(Netif\)\(Ethernet_make__\d+\)/,
      /connect ~no_init:\S+ ~handle_ra:\S+ \?cidr:\S+ \?gateway:\S+ _netif__\d+ _ethernet_make__\d+/,
    ],
    args: [
      "Mirage_runtime_network.V6.network None",
      "Mirage_runtime_network.V6.accept_router_advertisements ()",
    ],
  });
  check(
    "createIpv4v6",
    () => {
      const e = E.ethif(net());
      const a = A.arp(e);
      return use(ipv4v6, I.createIpv4v6(I.createIpv4(e, a), I.createIpv6(net(), e)));
    },
    target,
    {
      lines: [
        /= Tcpip_stack_direct\.IPV4V6\(Static_ipv4_make__\d+\)\(Ipv6_make__\d+\)/,
        /connect ~ipv4_only:\S+ ~ipv6_only:\S+ _static_ipv4_make__\d+ _ipv6_make__\d+/,
      ],
    },
  );
  check(
    "directUdp",
    () => {
      const e = E.ethif(net());
      const a = A.arp(e);
      return use(udpv4v6, U.directUdp(I.createIpv4v6(I.createIpv4(e, a), I.createIpv6(net(), e))));
    },
    target,
    {
      lines: [/= Udp\.Make\(Tcpip_stack_direct_ipv4v6__\d+\)/],
    },
  );
  check(
    "directTcp",
    () => {
      const e = E.ethif(net());
      const a = A.arp(e);
      return use(tcpv4v6, T.directTcp(I.createIpv4v6(I.createIpv4(e, a), I.createIpv6(net(), e))));
    },
    target,
    {
      lines: [/= Tcp\.Flow\.Make\(Tcpip_stack_direct_ipv4v6__\d+\)/],
    },
  );
  check("staticIpv4v6Stack", () => use(stackv4v6, S.staticIpv4v6Stack(net())), target, {
    lines: [
      /= Tcpip_stack_direct\.MakeV4V6\(Netif\)\(Ethernet_make__\d+\)\(Arp_make__\d+\)\(Tcpip_stack_direct_ipv4v6__\d+\)\(Icmpv4_make__\d+\)\(Udp_make__\d+\)\(Tcp_flow_make__\d+\)/,
    ],
  });
  check(
    "tcpv4v6OfStackv4v6",
    () => use(tcpv4v6, S.tcpv4v6OfStackv4v6(S.staticIpv4v6Stack(net()))),
    target,
    {
      lines: [/= Tcpip_stack_direct\.TCPV4V6\(Tcpip_stack_direct_makev4v6__\d+\)/],
    },
  );
}
check(
  "ipv4Qubes",
  () => {
    const e = E.ethif(net());
    return use(ipv4, I.ipv4Qubes(Q.defaultQubesdb, e, A.arp(e)));
  },
  "qubes",
  {
    lines: [
      /= Qubesdb_ipv4\.Make\(Qubes\.DB\)\(Ethernet_make__\d+\)\(Arp_make__\d+\)/,
      "Qubes.DB.connect ~domid:0 ()",
    ],
    packages: ['"mirage-qubes-ipv4" { ?monorepo & >= "2.0.0" & < "3.0.0" }'],
  },
);
refused("defaultQubesdb", () => use(qubesdb, Q.defaultQubesdb), "unix", "xen, qubes");

// Sockets and stacks.
check("socketUdpv4v6", () => use(udpv4v6, U.socketUdpv4v6("10.0.0.2", null)), "unix", {
  lines: [/Udpv4v6_socket\.connect ~ipv4_only:\S+ ~ipv6_only:\S+ \S+ \S+/],
  args: ['Mirage_runtime_network.V4.network (Ipaddr.V4.Prefix.of_string_exn "10.0.0.2/32")'],
});
refused("socketUdpv4v6", () => use(udpv4v6, U.socketUdpv4v6(null, null)), "hvt", "unix, macosx");
check("socketTcpv4v6", () => use(tcpv4v6, T.socketTcpv4v6(null, "::1")), "unix", {
  lines: [/Tcpv4v6_socket\.connect/],
  args: ['Mirage_runtime_network.V6.network (Some (Ipaddr.V6.Prefix.of_string_exn "::1/128"))'],
});
refused("socketTcpv4v6", () => use(tcpv4v6, T.socketTcpv4v6(null, null)), "hvt", "unix, macosx");
check("socketStackv4v6", () => use(stackv4v6, S.socketStackv4v6()), "unix", {
  lines: [/Tcpip_stack_socket\.V4V6\.connect _udpv4v6_socket__\d+ _tcpv4v6_socket__\d+/],
});
check("genericStackv4v6 (socket on unix)", () => use(stackv4v6, stackOf()), "unix", {
  lines: ["Tcpip_stack_socket.V4V6.connect"],
});
check("genericStackv4v6 --net=direct", () => use(stackv4v6, stackOf()), "unix", {
  lines: ["Tcpip_stack_direct.MakeV4V6(Netif)", "Static_ipv4.Make"],
}, { net: "direct" });
check("genericStackv4v6 (static on hvt)", () => use(stackv4v6, stackOf()), "hvt", {
  lines: ["Static_ipv4.Make", 'Netif.connect "service"'],
});
check("genericStackv4v6 --dhcp=true", () => use(stackv4v6, stackOf()), "hvt", {
  lines: ["Dhcp_ipv4.Make"],
}, { dhcp: true });
check("genericStackv4v6 (qubes)", () => use(stackv4v6, stackOf()), "qubes", {
  lines: ["Qubesdb_ipv4.Make(Qubes.DB)"],
});
refused("genericStackv4v6 --net=host", () => use(stackv4v6, stackOf()), "hvt", "unix, macosx", {
  net: "host",
});

Deno.test("genericStackv4v6's decision table", () => {
  assert.equal(S.stackKind("qubes", "socket", true), "qubes");
  assert.equal(S.stackKind("hvt", "host", false), "socket");
  assert.equal(S.stackKind("unix", undefined, true), "dhcp");
  assert.equal(S.stackKind("unix", "direct", true), "dhcp");
  assert.equal(S.stackKind("unix", undefined, false), "socket");
  assert.equal(S.stackKind("unix", "ocaml", false), "static");
  assert.equal(S.stackKind("xen", undefined, false), "static");
});

// Resolution, happy eyeballs, DNS, syslog, monitoring.
for (const target of ["unix", "hvt"]) {
  check(
    "resolverDns",
    () => use(resolver, R.resolverDns(stackOf(), { ns: ["tcp:1.1.1.1"] })),
    target,
    {
      lines: [/= Resolver_mirage\.Make\([\w.]+\)/, /\.v \?nameservers _\w+__\d+ >\|= function/],
      packages: ['"conduit-mirage" { ?monorepo & >= "8.0.0" & < "9.0.0" }'],
      args: ['Mirage_runtime_network.resolver ~default:["tcp:1.1.1.1"] ()'],
    },
  );
  check(
    "genericHappyEyeballs",
    () => use(happyEyeballs, H.genericHappyEyeballs(stackOf(), { connectDelay: 5_000_000 })),
    target,
    {
      lines: [/\.connect_device \?aaaa_timeout:\S+ \?connect_delay:\S+\n/],
      packages: ['"happy-eyeballs-mirage" { ?monorepo & >= "2.0.0" & < "3.0.0" }'],
      args: [
        "Mirage_runtime_network.he_connect_delay (Some 5000000L)",
        "Mirage_runtime_network.he_resolve_retries None",
      ],
    },
  );
  check(
    "genericDnsClient",
    () => {
      const s = stackOf();
      return use(
        dnsClient,
        D.genericDnsClient(s, H.genericHappyEyeballs(s), { nameservers: ["udp:9.9.9.9"] }),
      );
    },
    target,
    {
      lines: [
        /= Dns_client_mirage\.Make\([\w.]+\)\(Happy_eyeballs_mirage_make__\d+\)/,
        /connect \?nameservers:\S+ \?timeout:\S+ \?cache_size:\S+ \(_\w+__\d+, _happy_eyeballs_mirage_make__\d+\)/,
      ],
      packages: ['"dns-client-mirage" { ?monorepo & >= "10.0.0" & < "11.0.0" }'],
      args: ['Mirage_runtime_network.dns_servers (Some ["udp:9.9.9.9"])'],
    },
  );
  check("syslogUdp", () => use(syslog, L.syslogUdp(stackOf())), target, {
    lines: [
      /= Logs_syslog_mirage\.Udp\(/,
      /\.create _\w+__\d+ ~hostname:\S+ ~port:\S+ server \?truncate:\S+ \(\)/,
    ],
    packages: ['"logs-syslog" { ?monorepo & >= "0.5.0" & < "0.6.0" }'],
    args: ["Mirage_runtime_network.syslog None", "Mirage_runtime_network.monitor_hostname ()"],
  });
  check("syslogTcp", () => use(syslog, L.syslogTcp(stackOf())), target, {
    lines: [/= Logs_syslog_mirage\.Tcp\(/, "| Error e -> invalid_arg e"],
  });
  check("syslogTls", () => use(syslog, L.syslogTls(stackOf(), K.crunch("certs"))), target, {
    lines: [/= Logs_syslog_mirage_tls\.Tls\([\w.]+\)\(Static_certs\)/, /\?keyname:\S+ \(\)/],
    args: ["Mirage_runtime_network.syslog_keyname None"],
  });
  check("monitoring", () => M.monitoring(stackOf()), target, {
    lines: [
      /= Mirage_monitoring\.Make\([\w.]+\)/,
      /match _mirage_runtime_network_monitor_none with .* Some ip -> \w+\.create ip ~hostname:_mirage_runtime_network_monitor_hostname_ _\w+__\d+\)/,
    ],
    packages: ['"mirage-monitoring" { ?monorepo & >= "0.0.6" & < "0.1.0" }'],
  });
}
refused("resolverUnixSystem", () => use(resolver, R.resolverUnixSystem), "hvt", "unix, macosx");
check("resolverUnixSystem", () => use(resolver, R.resolverUnixSystem), "unix", {
  lines: ["Lwt.return Resolver_lwt_unix.system"],
  packages: ['"conduit-lwt-unix" { ?monorepo & >= "8.0.0" & < "9.0.0" }'],
});

// Conduit, HTTP, mimic, git.
for (const target of ["unix", "hvt"]) {
  const tcpOf = () => S.tcpv4v6OfStackv4v6(stackOf());
  const mimicOf = () => {
    const s = stackOf();
    const he = H.genericHappyEyeballs(s);
    return Mi.mimicHappyEyeballs(s, he, D.genericDnsClient(s, he));
  };
  check("conduitDirect", () => use(conduit, C.conduitDirect(stackOf())), target, {
    lines: [/= Conduit_mirage\.TCP\([\w.]+\)/],
    packages: ['"conduit-mirage" { ?monorepo & >= "8.0.0" & < "9.0.0" }'],
  });
  check(
    "conduitDirect ~tls",
    () => use(conduit, C.conduitDirect(stackOf(), { tls: true })),
    target,
    {
      lines: [/= Conduit_mirage\.TLS\(Conduit_mirage_tcp__\d+\)/],
      packages: ['"tls-mirage" { ?monorepo & >= "2.0.0" & < "3.0.0" }'],
    },
  );
  check("cohttpServer", () => use(http, P.cohttpServer(C.conduitDirect(stackOf()))), target, {
    lines: [
      /= Cohttp_mirage\.Server\.Make\(Conduit_mirage_tcp__\d+\)/,
      /Lwt\.return \(Cohttp_mirage_server_make__\d+\.listen _conduit_mirage_tcp__\d+\)/,
    ],
    packages: ['"cohttp-mirage" { ?monorepo & >= "6.1.0" & < "7.0.0" }'],
  });
  check("httpafServer", () => use(http, P.httpafServer(C.conduitDirect(stackOf()))), target, {
    lines: [/Lwt\.return \(Httpaf_mirage\.Server_with_conduit\.listen _conduit_mirage_tcp__\d+\)/],
    packages: ['"httpaf-mirage" { ?monorepo }'],
  });
  check(
    "cohttpClient",
    () => {
      const s = stackOf();
      return use(httpClient, P.cohttpClient(R.resolverDns(s), C.conduitDirect(s)));
    },
    target,
    {
      lines: [
        /= Cohttp_mirage\.Client\.Make\(Resolver_mirage_make__\d+\)\(Conduit_mirage_tcp__\d+\)/,
        /\.ctx _resolver_mirage_make__\d+ _conduit_mirage_tcp__\d+/,
      ],
    },
  );
  check(
    "pafServer",
    () => use(httpServer, P.pafServer(tcpOf(), { port: runtimeArg<number>("Unikernel.port") })),
    target,
    {
      lines: [
        /= Paf_mirage\.Make\(Tcpip_stack_direct_tcpv4v6__\d+\)/,
        /\.init ~port:_unikernel_port _tcpip_stack_direct_tcpv4v6__\d+/,
      ],
      packages: ['"paf" { ?monorepo & >= "0.8.0" & < "0.9.0" }'],
      args: ["Unikernel.port"],
    },
  );
  check("pafClient", () => use(alpnClient, P.pafClient(tcpOf(), mimicOf())), target, {
    lines: [
      /= Http_mirage_client\.Make\(Tcpip_stack_direct_tcpv4v6__\d+\)\(Mimic_happy_eyeballs_make__\d+\)/,
    ],
    packages: ['"http-mirage-client" { ?monorepo & >= "0.0.9" & < "0.1.0" }'],
  });
  check("mimicHappyEyeballs", () => use(mimic, mimicOf()), target, {
    lines: [/Mimic_happy_eyeballs_make__\d+\.connect _happy_eyeballs_mirage_make__\d+/],
    packages: ['"mimic-happy-eyeballs" { ?monorepo & >= "0.0.9" }'],
  });
  check("gitTcp", () => use(gitClient, G.gitTcp(tcpOf(), mimicOf())), target, {
    lines: [/= Git_mirage_tcp\.Make\(/],
    packages: ['"git-mirage" { ?monorepo & >= "3.18.0" & < "3.19.0" }'],
  });
  check(
    "gitSsh",
    () => use(gitClient, G.gitSsh(tcpOf(), mimicOf(), { key: "ed25519:abc" })),
    target,
    {
      lines: [/with_optionnal_key \?authenticator:\S+ ~key:\S+ ~password:\S+/],
      args: ['Mirage_runtime_network.ssh_key (Some "ed25519:abc")'],
    },
  );
  check(
    "gitHttp",
    () => use(gitClient, G.gitHttp(tcpOf(), mimicOf(), { headers: [["a", "b"]] })),
    target,
    {
      lines: [/with_optional_tls_config_and_headers \?headers:\S+ \?authenticator:\S+/],
      args: ['Mirage_runtime_network.http_headers (Some [("a", "b")])'],
    },
  );
  check(
    "mergeGitClients",
    () => {
      const t = tcpOf();
      const m = mimicOf();
      return use(gitClient, G.mergeGitClients(G.gitTcp(t, m), G.gitHttp(t, m)));
    },
    target,
    {
      lines: [
        /= Mimic\.Merge\(Git_mirage_tcp_make__\d+\)\(Git_mirage_http_make__\d+\)/,
        /Lwt\.return \(Mimic\.merge _git_mirage_tcp_make__\d+ _git_mirage_http_make__\d+\)/,
      ],
      packages: ['"mimic" { ?monorepo }'],
    },
  );
}

Deno.test("etif is ethif, with a deprecation notice", async () => {
  const { notices } = await import("../lib/dsl/impl.ts");
  notices.length = 0;
  const e = E.etif(N.defaultNetwork);
  assert.equal(e.node.kind === "dev" && e.node.device.moduleName, "Ethernet.Make");
  assert.ok(notices.some((n) => /etif is deprecated, use ethif/.test(n)));
});

Deno.test("ethif applied twice to one interface is one device", () => {
  const c = configureJobs([
    apply(
      main("App.Make", fn(ethernet, ethernet, job)),
      E.ethif(N.defaultNetwork),
      E.ethif(N.defaultNetwork),
    ),
  ], "unix");
  assert.equal(c.queries["main.ml"].match(/^module Ethernet_make__/gm)?.length, 1);
});

Deno.test("a device a third party writes with impl works beside the standard ones", () => {
  const hash = impl("Digestif.SHA1", { shape: { kind: "leaf", name: "hash" } } as Typ<"hash">);
  const c = configureJobs([
    apply(
      main("App.Make", fn({ shape: { kind: "leaf", name: "hash" } } as Typ<"hash">, block, job)),
      hash,
      B.ramdisk("rd"),
    ),
  ], "hvt");
  assert.match(c.queries["main.ml"], /App\.Make\(Digestif\.SHA1\)\(Ramdisk\)/);
});
