// applications/git: fetch, commit and push with git over TCP, SSH and HTTP(S), merged into one
// mimic context.
import { apply, fn, gitClient, impl, job, main, pkg, register, runtimeArg, typ } from "unik";
import { defaultNetwork } from "unik/plugins/network.ts";
import { genericStackv4v6, tcpv4v6OfStackv4v6 } from "unik/plugins/stack.ts";
import { genericHappyEyeballs } from "unik/plugins/happy_eyeballs.ts";
import { genericDnsClient } from "unik/plugins/dns.ts";
import { mimicHappyEyeballs } from "unik/plugins/mimic.ts";
import { gitHttp, gitSsh, gitTcp, mergeGitClients } from "unik/plugins/git.ts";

const hash = typ("hash");
const git = typ("git");
const sha1 = impl("Digestif.SHA1", hash, { packages: [pkg("digestif")] });
const store = impl("Git.Mem.Make", fn(hash, git), {
  packages: [pkg("git", { min: "3.8.0" })],
  connect: (_info, m) =>
    `${m}.v (Fpath.v ".") >|= function Ok g -> g | Error e -> Fmt.failwith "%a" ${m}.pp_error e`,
});

const stack = genericStackv4v6(defaultNetwork);
const tcp = tcpv4v6OfStackv4v6(stack);
const he = genericHappyEyeballs(stack);
const ctx = mimicHappyEyeballs(stack, he, genericDnsClient(stack, he));
const clients = mergeGitClients(
  gitHttp(tcp, ctx),
  mergeGitClients(gitTcp(tcp, ctx), gitSsh(tcp, ctx)),
);
const minigit = main("Unikernel.Make", fn(git, gitClient, job), {
  packages: [pkg("ptime")],
  runtimeArgs: [runtimeArg<string>("Unikernel.remote"), runtimeArg<string>("Unikernel.branch")],
});

export default register("minigit", [apply(minigit, apply(store, sha1), clients)]);
