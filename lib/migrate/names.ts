/**
 * Where each name of mirage 4.9's `Mirage` module lives in unik: the eDSL exported by `unik`
 * and the standard devices of `unik/plugins/<family>.ts`. OCaml names are the TypeScript ones
 * in snake case (`genericStackv4v6` is `generic_stackv4v6`), except where noted.
 * @module
 */

/** The module of a name: `unik` or a plugin family (`unik/plugins/<family>.ts`). */
export type NameSource = "unik" | string;

/** The module types exported by `unik` (an import of one that a binding shadows ends in `Type`). */
const TYPES = [
  "job",
  "argv",
  "info",
  "block",
  "kvRo",
  "kvRw",
  "network",
  "ethernet",
  "arpv4",
  "ipv4",
  "ipv6",
  "ipv4v6",
  "udpv4v6",
  "tcpv4v6",
  "stackv4v6",
  "resolver",
  "happyEyeballs",
  "dnsClient",
  "syslog",
  "conduit",
  "mimic",
  "http",
  "httpClient",
  "httpServer",
  "alpnClient",
  "gitClient",
  "qubesdb",
  "sleep",
  "ptime",
  "mtime",
  "random",
  "reporter",
];

/** The TypeScript names exported by `unik` that stand for OCaml values of `Mirage`. */
const UNIK_NAMES = [
  // The eDSL.
  "typ",
  "impl",
  "main",
  "register",
  "noop",
  "dep",
  "ifImpl",
  "matchImpl",
  "runtimeArg",
  ...TYPES,
  // Start-up devices.
  "defaultArgv",
  "noArgv",
  "defaultReporter",
  "noReporter",
  "defaultSleep",
  "noSleep",
  "defaultPtime",
  "noPtime",
  "mockPtime",
  "defaultMtime",
  "noMtime",
  "mockMtime",
  "defaultRandom",
  "noRandom",
  "runtimeArgs",
];

/** The module types of {@link UNIK_NAMES}. */
export const TYPE_NAMES: ReadonlySet<string> = new Set(TYPES);

/** The standard devices, by plugin family. */
export const PLUGIN_NAMES: Readonly<Record<string, readonly string[]>> = {
  arp: ["arp"],
  block: ["blockOfFile", "blockOfXenstoreId", "ramdisk", "genericBlock", "ccmBlock"],
  conduit: ["conduitDirect"],
  dns: ["genericDnsClient"],
  ethernet: ["ethif", "etif"],
  git: ["gitTcp", "gitSsh", "gitHttp", "mergeGitClients"],
  happy_eyeballs: ["genericHappyEyeballs"],
  http: ["cohttpServer", "httpafServer", "cohttpClient", "pafServer", "pafClient"],
  ip: ["createIpv4", "ipv4OfDhcp", "ipv4Qubes", "createIpv6", "createIpv4v6"],
  kv: [
    "crunch",
    "directKvRo",
    "genericKvRo",
    "directKvRw",
    "kvRwMem",
    "tarKvRo",
    "tarKvRw",
    "fatRo",
    "chamelon",
    "docteur",
  ],
  mimic: ["mimicHappyEyeballs"],
  monitoring: ["monitoring"],
  network: ["netif", "defaultNetwork"],
  qubesdb: ["defaultQubesdb"],
  resolver: ["resolverDns", "resolverUnixSystem"],
  stack: [
    "directStackv4v6",
    "socketStackv4v6",
    "staticIpv4v6Stack",
    "genericStackv4v6",
    "tcpv4v6OfStackv4v6",
  ],
  syslog: ["syslogUdp", "syslogTcp", "syslogTls"],
  tcp: ["directTcp", "socketTcpv4v6"],
  udp: ["directUdp", "socketUdpv4v6"],
};

/** `Key.kv_ro ?group ()` and the like: configure keys made by a plugin function of a group. */
export const GROUP_KEYS: Readonly<
  Record<string, { readonly name: string; readonly from: string }>
> = {
  kv_ro: { name: "kvRoKey", from: "kv" },
  block: { name: "blockKey", from: "block" },
  dhcp: { name: "dhcpKey", from: "stack" },
  net: { name: "netKey", from: "stack" },
};

const CLOCKS =
  "drop it from the functor's arguments: in 4.9 the unikernel calls Mirage_ptime, Mirage_mtime and Mirage_sleep directly";

/** Names of mirage 4.8 that 4.9 removed, and what to do instead. */
export const REMOVED_IN_4_9: Readonly<Record<string, string>> = {
  time: CLOCKS,
  pclock: CLOCKS,
  mclock: CLOCKS,
  default_time: CLOCKS,
  default_posix_clock: CLOCKS,
  default_monotonic_clock: CLOCKS,
  generic_stackv4: "use generic_stackv4v6",
  generic_stackv6: "use generic_stackv4v6",
  foreign: 'use main "Module" type ~packages ...',
};

/** `Key.is_unix` and the like: members of unik's `Key`. */
export const KEY_MEMBERS: Readonly<Record<string, string>> = {
  target: "target",
  is_unix: "isUnix",
  is_solo5: "isSolo5",
  is_xen: "isXen",
};

/** snake_case to camelCase (`generic_stackv4v6` to `genericStackv4v6`; a leading `_` stays). */
export function camel(name: string): string {
  const lead = /^_*/.exec(name)![0];
  const rest = name.slice(lead.length).replace(/'/g, "_");
  return lead + rest.replace(/_+([A-Za-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** camelCase to snake_case. */
export function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** The OCaml names that differ from the snake case of the TypeScript ones. */
const OCAML_OVERRIDES: Record<string, string> = { package: "pkg" };

/** An OCaml `Mirage` value: its TypeScript name and module. */
export interface LibName {
  /** The TypeScript name. */
  readonly name: string;
  /** `unik`, or the plugin family. */
  readonly from: NameSource;
}

const TABLE: ReadonlyMap<string, LibName> = new Map([
  ...UNIK_NAMES.map((n) => [snake(n), { name: n, from: "unik" }] as const),
  ...Object.entries(PLUGIN_NAMES).flatMap(([family, names]) =>
    names.map((n) => [snake(n), { name: n, from: family }] as const)
  ),
  ...Object.entries(OCAML_OVERRIDES).map(([o, n]) => [o, { name: n, from: "unik" }] as const),
]);

/** The unik name of an OCaml `Mirage` value, if unik has it. */
export function libName(ocaml: string): LibName | undefined {
  return TABLE.get(ocaml);
}

/** Every OCaml name of the table (for tests and the README). */
export function ocamlNames(): string[] {
  return [...TABLE.keys()];
}

/** The module specifier of a name's source. */
export function specifier(from: NameSource): string {
  return from === "unik" ? "unik" : `unik/plugins/${from}.ts`;
}
