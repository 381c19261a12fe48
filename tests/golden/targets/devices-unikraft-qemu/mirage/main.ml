open Lwt.Infix
type 'a io = 'a Lwt.t
let return = Lwt.return
let run t = Unikraft_os.Main.run t ; exit 0

let mirage_runtime_delay__key = Mirage_runtime.register_arg @@
# 65 "unik/plugins/network_args.ts"
  Mirage_runtime.delay
;;

let mirage_runtime_network_interface_0__key = Mirage_runtime.register_arg @@
# 71 "unik/plugins/network_args.ts"
  Mirage_runtime_network.interface "0"
;;

let mirage_runtime_logs__key = Mirage_runtime.register_arg @@
# 266 "unik/plugins/network_args.ts"
  Mirage_runtime.logs
;;

let cmdliner_stdlib_setup_backtracesome_true_randomize_hashtablessome_true___key = Mirage_runtime.register_arg @@
# 15 "unik/plugins/runtime.ts"
  Cmdliner_stdlib.setup ~backtrace:(Some true) ~randomize_hashtables:(Some true) ()
;;

# 27 "mirage/main.ml"

module Unikernel_make__13 = Unikernel.Make(Netif)(Block)(Static_htdocs)

let mirage_bootvar__1 = lazy (
# 9 "unik/plugins/argv.ts"
  return (Mirage_bootvar.argv ())
);;
# 35 "mirage/main.ml"

let struct_end__2 = lazy (
  let __mirage_bootvar__1 = Lazy.force mirage_bootvar__1 in
  __mirage_bootvar__1 >>= fun _mirage_bootvar__1 ->
# 25 "unik/plugins/runtime.ts"
  return Mirage_runtime.(with_argv (runtime_args ()) "devices" _mirage_bootvar__1)
);;
# 43 "mirage/main.ml"

let cmdliner_stdlib__3 = lazy (
  let _cmdliner_stdlib_setup_backtracesome_true_randomize_hashtablessome_true_ = (cmdliner_stdlib_setup_backtracesome_true_randomize_hashtablessome_true___key ()) in
  return (_cmdliner_stdlib_setup_backtracesome_true_randomize_hashtablessome_true_)
);;
# 49 "mirage/main.ml"

let mirage_runtime__4 = lazy (
  let _mirage_runtime_delay = (mirage_runtime_delay__key ()) in
# 41 "unik/plugins/runtime.ts"
  Mirage_sleep.ns (Duration.of_sec _mirage_runtime_delay)
);;
# 56 "mirage/main.ml"

let mirage_logs__5 = lazy (
  let _mirage_runtime_logs = (mirage_runtime_logs__key ()) in
# 30 "unik/plugins/reporter.ts"
  let reporter = Mirage_logs.create () in
  Mirage_runtime.set_level ~default:(Some Logs.Info) _mirage_runtime_logs;
  Logs.set_reporter reporter;
  Lwt.return reporter
);;
# 66 "mirage/main.ml"

let mirage_sleep__6 = lazy (
  return ()
);;
# 71 "mirage/main.ml"

let mirage_ptime__7 = lazy (
  return ()
);;
# 76 "mirage/main.ml"

let mirage_mtime__8 = lazy (
  return ()
);;
# 81 "mirage/main.ml"

let mirage_crypto_rng_mirage__9 = lazy (
# 9 "unik/plugins/random.ts"
  Mirage_crypto_rng_mirage.initialize (module Mirage_crypto_rng.Fortuna)
);;
# 87 "mirage/main.ml"

let netif__10 = lazy (
  let _mirage_runtime_network_interface_0 = (mirage_runtime_network_interface_0__key ()) in
# 18 "unik/plugins/network.ts"
  Netif.connect _mirage_runtime_network_interface_0
);;
# 94 "mirage/main.ml"

let block__11 = lazy (
# 34 "unik/plugins/block.ts"
  Block.connect "disk.img"
);;
# 100 "mirage/main.ml"

let static_htdocs__12 = lazy (
# 34 "unik/plugins/kv.ts"
  Static_htdocs.connect ()
);;
# 106 "mirage/main.ml"

let unikernel_make__13 = lazy (
  let __netif__10 = Lazy.force netif__10 in
  let __block__11 = Lazy.force block__11 in
  let __static_htdocs__12 = Lazy.force static_htdocs__12 in
  __netif__10 >>= fun _netif__10 ->
  __block__11 >>= fun _block__11 ->
  __static_htdocs__12 >>= fun _static_htdocs__12 ->
# 8 "config.ts"
  (Unikernel_make__13.start _netif__10 _block__11 _static_htdocs__12 : unit io)
);;
# 118 "mirage/main.ml"

let mirage_runtime__14 = lazy (
  let __struct_end__2 = Lazy.force struct_end__2 in
  let __cmdliner_stdlib__3 = Lazy.force cmdliner_stdlib__3 in
  let __mirage_runtime__4 = Lazy.force mirage_runtime__4 in
  let __mirage_logs__5 = Lazy.force mirage_logs__5 in
  let __mirage_sleep__6 = Lazy.force mirage_sleep__6 in
  let __mirage_ptime__7 = Lazy.force mirage_ptime__7 in
  let __mirage_mtime__8 = Lazy.force mirage_mtime__8 in
  let __mirage_crypto_rng_mirage__9 = Lazy.force mirage_crypto_rng_mirage__9 in
  let __unikernel_make__13 = Lazy.force unikernel_make__13 in
  __struct_end__2 >>= fun _struct_end__2 ->
  __cmdliner_stdlib__3 >>= fun _cmdliner_stdlib__3 ->
  __mirage_runtime__4 >>= fun _mirage_runtime__4 ->
  __mirage_logs__5 >>= fun _mirage_logs__5 ->
  __mirage_sleep__6 >>= fun _mirage_sleep__6 ->
  __mirage_ptime__7 >>= fun _mirage_ptime__7 ->
  __mirage_mtime__8 >>= fun _mirage_mtime__8 ->
  __mirage_crypto_rng_mirage__9 >>= fun _mirage_crypto_rng_mirage__9 ->
  __unikernel_make__13 >>= fun _unikernel_make__13 ->
  return ()
);;
# 141 "mirage/main.ml"

let () =
  let t = Lazy.force struct_end__2 >>= fun _ ->
  Lazy.force cmdliner_stdlib__3 >>= fun _ ->
  Lazy.force mirage_runtime__4 >>= fun _ ->
  Lazy.force mirage_logs__5 >>= fun _ ->
  Lazy.force mirage_sleep__6 >>= fun _ ->
  Lazy.force mirage_ptime__7 >>= fun _ ->
  Lazy.force mirage_mtime__8 >>= fun _ ->
  Lazy.force mirage_crypto_rng_mirage__9 >>= fun _ ->
  Lazy.force mirage_runtime__14 in
  run t
;;
