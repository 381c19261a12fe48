// Every standard device constructor checks its arguments before reading them: a forgotten
// argument, options object or required option is a configuration error naming the constructor
// and what is missing, never a TypeError from inside the plugin.
import assert from "node:assert/strict";
import {
  arpv4,
  block,
  conduit,
  dnsClient,
  ethernet,
  gitClient,
  happyEyeballs,
  Impl,
  impl,
  ipv4,
  ipv6,
  kvRo,
  mimic,
  network,
  qubesdb,
  resolver,
  runtimeArg,
  stackv4v6,
  tcpv4v6,
  type Typ,
} from "unik";
import { UnikError } from "../lib/errors.ts";
import * as Arp from "../plugins/arp.ts";
import * as Block from "../plugins/block.ts";
import * as Conduit from "../plugins/conduit.ts";
import * as Dns from "../plugins/dns.ts";
import * as Ethernet from "../plugins/ethernet.ts";
import * as Git from "../plugins/git.ts";
import * as HappyEyeballs from "../plugins/happy_eyeballs.ts";
import * as Http from "../plugins/http.ts";
import * as Ip from "../plugins/ip.ts";
import * as Kv from "../plugins/kv.ts";
import * as Mimic from "../plugins/mimic.ts";
import * as Monitoring from "../plugins/monitoring.ts";
import * as Network from "../plugins/network.ts";
import * as Reporter from "../plugins/reporter.ts";
import * as Resolver from "../plugins/resolver.ts";
import * as Stack from "../plugins/stack.ts";
import * as Syslog from "../plugins/syslog.ts";
import * as Tcp from "../plugins/tcp.ts";
import * as Udp from "../plugins/udp.ts";

// deno-lint-ignore no-explicit-any
type AnyFn = (...args: any[]) => unknown;

const dev = <T>(t: Typ<T>): Impl<T> => impl(`Dev_${t.shape.kind}`, t);
const net = dev(network), eth = dev(ethernet), arp = dev(arpv4), stack = dev(stackv4v6);
const tcp = dev(tcpv4v6), mi = dev(mimic), blk = dev(block);

/**
 * Each constructor, called with its first required argument or option left out, and what the
 * error must say is missing. Constructors without any required argument are called with a
 * wrong option instead.
 */
const MISSING: Record<string, readonly [call: () => unknown, missing: RegExp]> = {
  arp: [
    () => (Arp.arp as AnyFn)(),
    /^arp is missing its argument eth \(a device of type ethernet\)/,
  ],
  ethif: [
    () => (Ethernet.ethif as AnyFn)(),
    /^ethif is missing its argument net \(a device of type network\)/,
  ],
  etif: [() => (Ethernet.etif as AnyFn)(), /^etif is missing its argument net/],
  blockOfFile: [
    () => (Block.blockOfFile as AnyFn)(),
    /^blockOfFile is missing its argument file \(a string\)/,
  ],
  blockOfXenstoreId: [
    () => (Block.blockOfXenstoreId as AnyFn)(),
    /^blockOfXenstoreId is missing its argument id/,
  ],
  ramdisk: [() => (Block.ramdisk as AnyFn)(), /^ramdisk is missing its argument name \(a string\)/],
  genericBlock: [
    () => (Block.genericBlock as AnyFn)(),
    /^genericBlock is missing its argument name/,
  ],
  ccmBlock: [
    () => (Block.ccmBlock as AnyFn)(),
    /^ccmBlock is missing its argument key \(a runtime argument giving the key as a hex string/,
  ],
  conduitDirect: [
    () => (Conduit.conduitDirect as AnyFn)(),
    /^conduitDirect is missing its argument stack \(a device of type stackv4v6\)/,
  ],
  genericDnsClient: [
    () => (Dns.genericDnsClient as AnyFn)(stack),
    /^genericDnsClient is missing its argument he \(a device of type happy_eyeballs\)/,
  ],
  gitTcp: [
    () => (Git.gitTcp as AnyFn)(tcp),
    /^gitTcp is missing its argument mi \(a device of type mimic\)/,
  ],
  gitSsh: [() => (Git.gitSsh as AnyFn)(), /^gitSsh is missing its argument tcp/],
  gitHttp: [() => (Git.gitHttp as AnyFn)(tcp), /^gitHttp is missing its argument mi/],
  mergeGitClients: [
    () => (Git.mergeGitClients as AnyFn)(dev(gitClient)),
    /^mergeGitClients is missing its argument b \(a device of type git_client\)/,
  ],
  genericHappyEyeballs: [
    () => (HappyEyeballs.genericHappyEyeballs as AnyFn)(),
    /^genericHappyEyeballs is missing its argument stack/,
  ],
  cohttpServer: [
    () => (Http.cohttpServer as AnyFn)(),
    /^cohttpServer is missing its argument c \(a device of type conduit\)/,
  ],
  httpafServer: [() => (Http.httpafServer as AnyFn)(), /^httpafServer is missing its argument c/],
  cohttpClient: [
    () => (Http.cohttpClient as AnyFn)(dev(resolver)),
    /^cohttpClient is missing its argument c \(a device of type conduit\)/,
  ],
  pafServer: [
    () => (Http.pafServer as AnyFn)(tcp),
    /^pafServer is missing its option port \(a runtime argument/,
  ],
  pafClient: [() => (Http.pafClient as AnyFn)(tcp), /^pafClient is missing its argument mi/],
  createIpv4: [
    () => (Ip.createIpv4 as AnyFn)(eth),
    /^createIpv4 is missing its argument arp \(a device of type arpv4\)/,
  ],
  ipv4OfDhcp: [() => (Ip.ipv4OfDhcp as AnyFn)(net, eth), /^ipv4OfDhcp is missing its argument arp/],
  ipv4Qubes: [
    () => (Ip.ipv4Qubes as AnyFn)(),
    /^ipv4Qubes is missing its argument db \(a device of type qubesdb\)/,
  ],
  createIpv6: [() => (Ip.createIpv6 as AnyFn)(net), /^createIpv6 is missing its argument eth/],
  createIpv4v6: [
    () => (Ip.createIpv4v6 as AnyFn)(dev(ipv4)),
    /^createIpv4v6 is missing its argument v6 \(a device of type ipv6\)/,
  ],
  directIcmpv4: [
    () => (Ip.directIcmpv4 as AnyFn)(),
    /^directIcmpv4 is missing its argument ip \(a device of type ipv4\)/,
  ],
  crunch: [() => (Kv.crunch as AnyFn)(), /^crunch is missing its argument dir \(a string\)/],
  directKvRo: [() => (Kv.directKvRo as AnyFn)(), /^directKvRo is missing its argument dir/],
  genericKvRo: [() => (Kv.genericKvRo as AnyFn)(), /^genericKvRo is missing its argument dir/],
  directKvRw: [() => (Kv.directKvRw as AnyFn)(), /^directKvRw is missing its argument dir/],
  tarKvRo: [
    () => (Kv.tarKvRo as AnyFn)(),
    /^tarKvRo is missing its argument device \(a device of type block\)/,
  ],
  tarKvRw: [() => (Kv.tarKvRw as AnyFn)(), /^tarKvRw is missing its argument device/],
  fatRo: [() => (Kv.fatRo as AnyFn)(), /^fatRo is missing its argument device/],
  chamelon: [
    () => (Kv.chamelon as AnyFn)(blk),
    /^chamelon is missing its option programBlockSize \(a runtime argument/,
  ],
  docteur: [() => (Kv.docteur as AnyFn)(), /^docteur is missing its argument remote \(a string\)/],
  mimicHappyEyeballs: [
    () => (Mimic.mimicHappyEyeballs as AnyFn)(stack, dev(happyEyeballs)),
    /^mimicHappyEyeballs is missing its argument dns \(a device of type dns_client\)/,
  ],
  monitoring: [
    () => (Monitoring.monitoring as AnyFn)(),
    /^monitoring is missing its argument stack/,
  ],
  netif: [() => (Network.netif as AnyFn)(), /^netif is missing its argument device \(a string\)/],
  defaultReporter: [
    () => (Reporter.defaultReporter as AnyFn)({ level: "loud" }),
    /^defaultReporter's option level must be one of "app", "error", "warning", "info", "debug", null, but it is the string "loud"/,
  ],
  resolverDns: [
    () => (Resolver.resolverDns as AnyFn)(),
    /^resolverDns is missing its argument stack/,
  ],
  directStackv4v6: [
    () => (Stack.directStackv4v6 as AnyFn)(net, eth, arp, dev(ipv4)),
    /^directStackv4v6 is missing its argument v6 \(a device of type ipv6\)/,
  ],
  socketStackv4v6: [
    () => (Stack.socketStackv4v6 as AnyFn)({ group: 1 }),
    /^socketStackv4v6's option group must be a string, but it is the number 1/,
  ],
  staticIpv4v6Stack: [
    () => (Stack.staticIpv4v6Stack as AnyFn)(),
    /^staticIpv4v6Stack is missing its argument net/,
  ],
  genericStackv4v6: [
    () => (Stack.genericStackv4v6 as AnyFn)(),
    /^genericStackv4v6 is missing its argument net \(a device of type network\)/,
  ],
  tcpv4v6OfStackv4v6: [
    () => (Stack.tcpv4v6OfStackv4v6 as AnyFn)(),
    /^tcpv4v6OfStackv4v6 is missing its argument stack/,
  ],
  syslogUdp: [() => (Syslog.syslogUdp as AnyFn)(), /^syslogUdp is missing its argument stack/],
  syslogTcp: [() => (Syslog.syslogTcp as AnyFn)(), /^syslogTcp is missing its argument stack/],
  syslogTls: [
    () => (Syslog.syslogTls as AnyFn)(stack),
    /^syslogTls is missing its argument kv \(a device of type kv_ro\)/,
  ],
  directTcp: [
    () => (Tcp.directTcp as AnyFn)(),
    /^directTcp is missing its argument ip \(a device of type ipv4, ipv6 or ipv4v6\)/,
  ],
  socketTcpv4v6: [
    () => (Tcp.socketTcpv4v6 as AnyFn)(),
    /^socketTcpv4v6 is missing its argument v4 \(a string, or null\)/,
  ],
  directUdp: [() => (Udp.directUdp as AnyFn)(), /^directUdp is missing its argument ip/],
  socketUdpv4v6: [
    () => (Udp.socketUdpv4v6 as AnyFn)(null),
    /^socketUdpv4v6 is missing its argument v6/,
  ],
};

/** Exports of the plugins that are not device constructors: helpers, keys, start-up internals. */
const NOT_CONSTRUCTORS = new Set([
  "xenstoreId",
  "blockKey",
  "tcpip",
  "crunchModule",
  "kvRoKey",
  "dhcpKey",
  "netKey",
  "stackKind",
  "ipKindOf",
  "socketTransport",
]);

const MODULES = {
  Arp,
  Block,
  Conduit,
  Dns,
  Ethernet,
  Git,
  HappyEyeballs,
  Http,
  Ip,
  Kv,
  Mimic,
  Monitoring,
  Network,
  Reporter,
  Resolver,
  Stack,
  Syslog,
  Tcp,
  Udp,
};

Deno.test("the table covers every device constructor the standard plugins export", () => {
  const exported = Object.values(MODULES).flatMap((m) =>
    Object.entries(m).filter(([, v]) => typeof v === "function").map(([k]) => k)
  ).filter((name) => !NOT_CONSTRUCTORS.has(name));
  assert.deepEqual(exported.filter((name) => !(name in MISSING) && name !== "kvRwMem"), []);
});

/** Asserts that `call` throws a configuration error whose message matches `message`. */
function assertRefused(call: () => unknown, message: RegExp): void {
  assert.throws(call, (e: unknown) => {
    assert.ok(e instanceof UnikError, `not a configuration error: ${e}`);
    assert.equal(e.kind, "config");
    assert.match(e.message, message);
    return true;
  });
}

for (const [name, [call, missing]] of Object.entries(MISSING)) {
  Deno.test(`${name}: a missing or wrong argument names ${name} and what it expects`, () => {
    assertRefused(call, missing);
  });
}

Deno.test("kvRwMem takes no argument, so there is nothing to forget", () => {
  assert.ok(Kv.kvRwMem() instanceof Impl);
});

Deno.test("an options object without its required option names the option", () => {
  assertRefused(
    () => (Http.pafServer as AnyFn)(tcp, {}),
    /^pafServer is missing its option port \(a runtime argument \(runtimeArg\("Module\.term"\)\)\)$/,
  );
});

Deno.test("an option of the wrong kind is refused with what it must be", () => {
  assertRefused(
    () => (Http.pafServer as AnyFn)(tcp, { port: 8080 }),
    /^pafServer's option port must be a runtime argument \(runtimeArg\("Module\.term"\)\), but it is the number 8080$/,
  );
});

Deno.test("an option the constructor does not have is refused, listing those it has", () => {
  assertRefused(
    () => (Http.pafServer as AnyFn)(tcp, { prot: runtimeArg<number>("Unikernel.port") }),
    /^pafServer has no option prot \(its options are port\)$/,
  );
});

Deno.test("an argument of the wrong module type names the type it has", () => {
  assertRefused(
    () => (Http.pafServer as AnyFn)(stack, { port: runtimeArg<number>("Unikernel.port") }),
    /^pafServer's argument tcp must be a device of type tcpv4v6, but Dev_leaf has type stackv4v6$/,
  );
});

Deno.test("a static IPv4 configuration needs its network", () => {
  assertRefused(
    () => (Ip.createIpv4 as AnyFn)(eth, arp, { config: { gateway: "10.0.0.1" } }),
    /^createIpv4's option config must be an IPv4 configuration \(\{ network, gateway\? \}\)/,
  );
});

Deno.test("ccmBlock's key must be a runtime argument, not the key itself", () => {
  assertRefused(
    () => (Block.ccmBlock as AnyFn)("0x00112233", blk),
    /^ccmBlock's argument key must be a runtime argument giving the key as a hex string \(runtimeArg<string>\("Unikernel\.key"\)\), but it is the string "0x00112233"$/,
  );
});

Deno.test("ccmBlock takes a runtime argument of a string", () => {
  const key = runtimeArg<string>("Unikernel.key");
  assert.equal(Block.ccmBlock(key, blk, { nonceLen: 8 }).typ.kind, "leaf");
  // @ts-expect-error the connect code reads the key as a string: an optional term is refused
  Block.ccmBlock(runtimeArg<string | undefined>("Unikernel.key"), blk);
});

Deno.test("correct arguments pass the checks", () => {
  const port = runtimeArg<number>("Unikernel.port");
  assert.ok(Http.pafServer(tcp, { port }));
  assert.ok(Stack.genericStackv4v6(net, { group: "x", ipv4Config: { network: "10.0.0.2/24" } }));
  assert.ok(Tcp.directTcp(dev(ipv6)));
  assert.ok(Dns.genericDnsClient(stack, dev(happyEyeballs), { timeout: 5_000_000_000n }));
  assert.ok(Git.gitHttp(tcp, mi, { headers: [["a", "b"]] }));
  void [conduit, dnsClient, kvRo, qubesdb];
});
