// The "hello" tutorial of mirage-skeleton, with its greeting as a runtime argument declared
// here (mirage's `runtime_arg ~pos:__POS__ "Unikernel.hello"`).
import { job, main, pkg, register, runtimeArg } from "unik";

const hello = runtimeArg<string>("Unikernel.hello");

const unikernel = main("Unikernel", job, {
  packages: [pkg("duration")],
  runtimeArgs: [hello],
});

export default register("hello", [unikernel]);
