/**
 * Git clients over TCP, SSH and HTTP(S) (git-mirage), as mimic contexts that can be merged.
 * @module
 */

import { apply, fn, gitClient, type Impl, impl, mimic, pkg, tcpv4v6 } from "../lib/mod.ts";
import { httpHeadersArg, optionalStringArg } from "./network_args.ts";
import { checkArgs, deviceOf, optionsOf, STRING, STRING_PAIRS } from "../lib/dsl/args.ts";

const gitMirage = (sub: string) =>
  pkg("git-mirage", { min: "3.18.0", max: "3.19.0", sublibs: [sub] });

const gitTcpFunctor = impl("Git_mirage_tcp.Make", fn(tcpv4v6, mimic, gitClient), {
  packages: [gitMirage("tcp")],
  connect: (_i, m, [_t, mi]) => `${m}.connect ${mi}`,
});

/** git:// over TCP. */
export function gitTcp(tcp: Impl<"tcpv4v6">, mi: Impl<"mimic">): Impl<"git_client"> {
  checkArgs(gitTcp, [tcp, mi], [["tcp", deviceOf(tcpv4v6)], ["mi", deviceOf(mimic)]]);
  return apply(gitTcpFunctor, tcp, mi);
}

/** Options of {@link gitSsh}: defaults of the `--ssh-*` boot flags. */
export interface GitSshOptions {
  /** Prefix of the boot flags. */
  readonly group?: string;
  /** Host key authenticator. */
  readonly authenticator?: string;
  /** Private key (`rsa:<seed>` or `ed25519:<b64>`). */
  readonly key?: string;
  /** Password. */
  readonly password?: string;
}

/** git over SSH. */
export function gitSsh(
  tcp: Impl<"tcpv4v6">,
  mi: Impl<"mimic">,
  options: GitSshOptions = {},
): Impl<"git_client"> {
  checkArgs(gitSsh, [tcp, mi, options], [["tcp", deviceOf(tcpv4v6)], ["mi", deviceOf(mimic)], [
    "options",
    optionsOf({ group: STRING, authenticator: STRING, key: STRING, password: STRING }),
  ]]);
  const g = options.group;
  const functor = impl("Git_mirage_ssh.Make", fn(tcpv4v6, mimic, gitClient), {
    packages: [gitMirage("ssh")],
    runtimeArgs: [
      optionalStringArg("ssh_key", options.key, g),
      optionalStringArg("ssh_password", options.password, g),
      optionalStringArg("ssh_authenticator", options.authenticator, g),
    ],
    connect: (_i, m, [_t, mi, key, password, authenticator]) =>
      `${m}.connect ${mi} >>= ${m}.with_optionnal_key ?authenticator:${authenticator} ~key:${key} ~password:${password}`,
  });
  return apply(functor, tcp, mi);
}

/** Options of {@link gitHttp}. */
export interface GitHttpOptions {
  /** Prefix of the boot flags. */
  readonly group?: string;
  /** TLS authenticator. */
  readonly authenticator?: string;
  /** Extra HTTP headers. */
  readonly headers?: readonly (readonly [string, string])[];
}

/** git over HTTP(S). */
export function gitHttp(
  tcp: Impl<"tcpv4v6">,
  mi: Impl<"mimic">,
  options: GitHttpOptions = {},
): Impl<"git_client"> {
  checkArgs(gitHttp, [tcp, mi, options], [["tcp", deviceOf(tcpv4v6)], ["mi", deviceOf(mimic)], [
    "options",
    optionsOf({ group: STRING, authenticator: STRING, headers: STRING_PAIRS }),
  ]]);
  const g = options.group;
  const functor = impl("Git_mirage_http.Make", fn(tcpv4v6, mimic, gitClient), {
    packages: [gitMirage("http")],
    runtimeArgs: [
      optionalStringArg("tls_authenticator", options.authenticator, g),
      httpHeadersArg(options.headers, g),
    ],
    connect: (_i, m, [_t, mi, authenticator, headers]) =>
      `${m}.connect ${mi} >>= ${m}.with_optional_tls_config_and_headers ?headers:${headers} ?authenticator:${authenticator}`,
  });
  return apply(functor, tcp, mi);
}

const mergeFunctor = impl("Mimic.Merge", fn(gitClient, gitClient, gitClient), {
  packages: [pkg("mimic")],
  connect: (_i, _m, [a, b]) => `Lwt.return (Mimic.merge ${a} ${b})`,
});

/** A git client trying both. */
export function mergeGitClients(a: Impl<"git_client">, b: Impl<"git_client">): Impl<"git_client"> {
  checkArgs(mergeGitClients, [a, b], [["a", deviceOf(gitClient)], ["b", deviceOf(gitClient)]]);
  return apply(mergeFunctor, a, b);
}
