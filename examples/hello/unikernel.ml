(* Logs a greeting four times, a fifth of a second apart. The greeting is the
   [--hello] boot argument, registered by the generated main.ml. *)

open Lwt.Infix

let hello =
  let doc = Cmdliner.Arg.info ~doc:"How to say hello." [ "hello" ] in
  Cmdliner.Arg.(value & opt string "Hello World!" doc)

let start () hello =
  let rec loop = function
    | 0 -> Lwt.return_unit
    | n ->
        Logs.info (fun f -> f "%s" hello);
        Mirage_sleep.ns (Duration.of_ms 200) >>= fun () -> loop (n - 1)
  in
  loop 4
