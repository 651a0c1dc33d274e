%% The actors suite's Erlang side (weft bench actors): ping-pong and thread-ring, the same
%% workloads as on the JVM (see dev.weft.bench.actors.ActorImpl). Started by the suite as
%% erl -noshell -run weft_bench_actors main; reads one command per line on standard input and
%% answers each with one line on standard output:
%%   "ping-pong ROUND_TRIPS"     -> "ok VALUE NANOS"
%%   "thread-ring ACTORS HOPS"   -> "ok VALUE NANOS"
%%   "quit" or end of input      -> halts
%% VALUE is the workload's result, NANOS its wall time on erlang:monotonic_time/1.
-module(weft_bench_actors).
-export([main/0]).

main() ->
    io:format("ready ~p ~s~n", [erlang:system_info(schedulers_online), erlang:system_info(otp_release)]),
    loop().

loop() ->
    case io:get_line("") of
        eof -> halt(0);
        {error, _} -> halt(1);
        Line ->
            case string:lexemes(string:trim(Line), " ") of
                ["quit"] -> halt(0);
                ["ping-pong", N] -> answer(fun() -> ping_pong(list_to_integer(N)) end);
                ["thread-ring", A, H] ->
                    answer(fun() -> thread_ring(list_to_integer(A), list_to_integer(H)) end);
                Other -> io:format("error unknown command ~p~n", [Other])
            end,
            loop()
    end.

answer(Workload) ->
    Start = erlang:monotonic_time(nanosecond),
    Value = Workload(),
    End = erlang:monotonic_time(nanosecond),
    io:format("ok ~b ~b~n", [Value, End - Start]).

%% ping-pong: pong answers each ping with the number of pings it has had; ping checks it.
ping_pong(RoundTrips) ->
    Parent = self(),
    Pong = spawn(fun() -> pong(0) end),
    Ping = spawn(fun() -> ping(Pong, 0, RoundTrips, Parent) end),
    receive {done, Ping, Value} -> Value end.

ping(Pong, N, N, Parent) ->
    Pong ! stop,
    Parent ! {done, self(), N + N};
ping(Pong, Received, N, Parent) ->
    Pong ! {ping, self()},
    receive
        {pong, Count} when Count =:= Received + 1 -> ping(Pong, Count, N, Parent);
        {pong, Count} -> exit({wrong_pong, Count, Received + 1})
    end.

pong(Count) ->
    receive
        {ping, From} -> From ! {pong, Count + 1}, pong(Count + 1);
        stop -> ok
    end.

%% thread-ring: actor 0 gets a token worth Hops; a token worth K > 0 goes on as K - 1; the
%% actor that gets 0 reports its index.
thread_ring(Actors, Hops) ->
    Parent = self(),
    Ring = [spawn(fun() -> ring_start(I, Parent) end) || I <- lists:seq(0, Actors - 1)],
    [First | Rest] = Ring,
    lists:foreach(fun({P, Next}) -> P ! {next, Next} end, lists:zip(Ring, Rest ++ [First])),
    First ! {token, Hops},
    receive
        {ring_done, Index} ->
            lists:foreach(fun(P) -> P ! stop end, Ring),
            Hops + Index
    end.

ring_start(Index, Parent) ->
    receive {next, Next} -> ring(Index, Next, Parent) end.

ring(Index, Next, Parent) ->
    receive
        {token, 0} -> Parent ! {ring_done, Index}, ring(Index, Next, Parent);
        {token, K} -> Next ! {token, K - 1}, ring(Index, Next, Parent);
        stop -> ok
    end.
