// device-usage/littlefs, written for the 4.9 API: an AES-CCM encrypted littlefs store whose
// key and block size are boot arguments.
import { apply, fn, job, kvRw, main, register, runtimeArg } from "unik";
import { blockOfFile, ccmBlock } from "unik/plugins/block.ts";
import { chamelon } from "unik/plugins/kv.ts";

const aesCcmKey = runtimeArg<string>("Unikernel.aes_ccm_key");
const programBlockSize = runtimeArg<number>("Unikernel.program_block_size");
const fs = chamelon(ccmBlock(aesCcmKey, blockOfFile("littlefs")), { programBlockSize });

export default register("elittlefs", [apply(main("Unikernel.Make", fn(kvRw, job)), fs)]);
