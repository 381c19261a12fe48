// tutorial/app_info: prints the libraries linked into the unikernel.
import { job, main, pkg, register } from "unik";

export default register("app-info", [
  main("Unikernel", job, { packages: [pkg("fmt"), pkg("dune-build-info")] }),
]);
