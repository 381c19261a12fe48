// tutorial/noop: no job at all, only the start-up jobs.
import { register } from "unik";

export default register("noop", []);
