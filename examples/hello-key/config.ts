// tutorial/hello-key: the greeting is a boot argument that unikernel.ml registers itself
// with Mirage_runtime.register_arg, so the config needs nothing for it.
import { job, main, pkg, register } from "unik";

export default register("hello-key", [main("Unikernel", job, { packages: [pkg("duration")] })]);
