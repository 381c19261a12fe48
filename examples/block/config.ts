// device-usage/block: read and write tests on a block device (the Solo5 tender's "storage",
// or disk.img elsewhere). Block devices are not available on Muen.
import { apply, block, fn, ifImpl, job, Key, main, register } from "unik";
import { blockOfFile } from "unik/plugins/block.ts";

const img = ifImpl(Key.isSolo5, blockOfFile("storage"), blockOfFile("disk.img"));
const app = main("Unikernel.Main", fn(block, job));

export default register("block_test", [apply(app, img)]);
