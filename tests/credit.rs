//! The credit rules engine against the contract: worked examples (data files in
//! `tests/cases/credit/`), the seed's DSR example, and properties over generated
//! logs. The same bodies run natively (`cargo test`) and in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod credit_common;

#[macro_use]
mod both;

use review_lab::credit::event::{DsrScores, DsrValue, Event, EventBody, OrderEvent, Rating, Role};
use review_lab::credit::generate::{log_json, GenConfig, Generator};
use review_lab::credit::{replay_events, replay_value, wire, Engine, OwnedReplay, RuleSet};
use review_lab::time::Time;
use serde_json::{json, Value};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn t(s: &str) -> Time {
    Time::parse(s).unwrap()
}

/// Replays the generated world for `seed` and returns (engine events, report json).
fn generated(seed: u64, rules: &str) -> (Vec<Event>, Engine, Time) {
    let set = RuleSet::builtin(rules).unwrap();
    let mut engine = Engine::new(set.clone());
    let generator = Generator::new(GenConfig::small(seed), &set, engine.symbols_mut());
    let end = generator.end();
    (generator.all(), engine, end)
}

both! {
    fn worked_examples_from_the_case_files() {
        let n = credit_common::run_all_cases();
        assert!(n >= 60, "only {n} cases");
    }

    fn seed_dsr_example_nineteen_fives_and_a_one_make_four_point_eight() {
        // Seed 004: 19 ratings of 5 and one of 1 → 96 / 20 = 4.8.
        let mut events = Vec::new();
        for k in 0..20 {
            let at = format!("2026-03-{:02}T10:00", k + 1);
            events.push(json!({"kind": "order", "id": format!("o{k}"), "buyer": format!("b{k}"),
                "seller": "s1", "item": "i1", "price": 30, "created": at, "at": at}));
            let score = if k == 7 { 1 } else { 5 };
            events.push(json!({"kind": "dsr", "order": format!("o{k}"), "at": format!("2026-03-{:02}T12:00", k + 1),
                "description": score, "service": 5, "shipping": 5, "logistics": 5}));
        }
        let report = replay_value(&json!({"as_of": "2026-04-01T00:00", "events": events})).unwrap();
        let dsr = report.sellers["s1"].dsr.as_ref().unwrap();
        assert_eq!(dsr["description"].count, 20);
        assert!((dsr["description"].mean.unwrap() - 4.8).abs() < 1e-12);
        assert_eq!(dsr["service"].mean, Some(5.0));
    }

    fn the_whole_log_is_the_days_in_turn_and_fits_the_capacity_hint() {
        let set = RuleSet::builtin("taobao").unwrap();
        for (cfg, slack) in [
            (GenConfig::small(5), 2.0),
            (GenConfig { days: 40, orders_per_day: (300, 400), buyers: 2_000, ..GenConfig::big_shop(9) }, 1.25),
        ] {
            let mut syms = review_lab::credit::symbols::Symbols::default();
            let mut streamed = Generator::new(cfg.clone(), &set, &mut syms.clone());
            let hint = streamed.expected_events();
            let mut days = Vec::new();
            while let Some(day) = streamed.next_day() {
                assert!(day.windows(2).all(|w| w[0].at <= w[1].at), "a day out of time order");
                days.extend(day);
            }
            let whole = Generator::new(cfg, &set, &mut syms).all();
            assert!(whole == days, "all() differs from the days streamed");
            // The hint errs high, by little: the runs' tails (reviews after the
            // last day) are dropped, which a short run feels most.
            assert!(hint >= whole.len(), "hint {hint} < {} events", whole.len());
            assert!((hint as f64) < whole.len() as f64 * slack, "hint {hint} for {} events", whole.len());
        }
    }

    fn days_passed_as_bytes_replay_as_the_days_themselves() {
        // The big-shop page makes the days in one worker and replays them in
        // another, as bytes (`wire`): made in a separate engine's symbol table,
        // decoded against the replaying one's, they end as the days fed directly.
        for seed in 50..54 {
            for rules in ["taobao", "tmall"] {
                let set = RuleSet::builtin(rules).unwrap();
                let (events, engine, end) = generated(seed, rules);
                let mut direct = engine.clone();
                direct.replay_log(&events, Some(end));

                let mut maker = Engine::new(set.clone());
                let mut generator = Generator::new(GenConfig::small(seed), &set, maker.symbols_mut());
                let symbols = engine.symbols().len();
                let mut replay = OwnedReplay::new(engine.clone(), Some(end), Default::default()).ok().unwrap();
                let (mut day, mut bytes, mut back) = (Vec::new(), Vec::new(), Vec::new());
                while generator.fill_day(&mut day) {
                    bytes.clear();
                    wire::encode(&day, &mut bytes);
                    back.clear();
                    wire::decode(&bytes, symbols, &mut back).unwrap();
                    assert_eq!(back, day);
                    // Cut anywhere in its last record, a day is refused whole.
                    for cut in 1..4 {
                        let mut none = Vec::new();
                        let short = &bytes[..bytes.len().saturating_sub(cut)];
                        if !day.is_empty() {
                            assert!(wire::decode(short, symbols, &mut none).is_err());
                            assert!(none.is_empty());
                        }
                    }
                    replay.feed(&back).unwrap();
                }
                let fed = replay.finish();
                assert_eq!(fed.report(Some(end)), direct.report(Some(end)), "seed {seed} {rules}");
            }
        }
    }

    fn a_replay_fed_a_day_at_a_time_ends_as_the_whole_log_replay() {
        // `begin_replay` fed the generator's days as they are made (the log is
        // never held whole), or uneven slices of the log, leaves the engine as
        // one `replay_log` call does: the same report, the same newest changes.
        for seed in 40..46 {
            for rules in ["taobao", "tmall"] {
                let set = RuleSet::builtin(rules).unwrap();
                let (events, engine, end) = generated(seed, rules);
                let limit = if seed % 2 == 0 { None } else { Some(9) };
                let mut whole = engine.clone();
                whole.set_change_limit(limit);
                whole.replay_log(&events, Some(end));
                let expected = whole.report(Some(end));
                let newest = |e: &Engine| e.changes_since(0).collect::<Vec<_>>();

                let mut by_day = Engine::new(set.clone());
                by_day.set_change_limit(limit);
                let mut generator = Generator::new(GenConfig::small(seed), &set, by_day.symbols_mut());
                let capacity = generator.capacity();
                let mut replay = by_day.begin_replay(Some(end), capacity).unwrap();
                let mut day = Vec::new();
                while generator.fill_day(&mut day) {
                    replay.feed(&day).unwrap();
                }
                replay.finish();
                assert_eq!(by_day.report(Some(end)), expected, "seed {seed} {rules}");
                assert_eq!(newest(&by_day), newest(&whole), "seed {seed} {rules}");
                // The generator's estimate covers what the run made.
                assert!(by_day.order_count() <= capacity.orders);
                assert!(by_day.change_count() <= capacity.changes, "{} > {capacity:?}", by_day.change_count());

                let mut sliced = engine.clone();
                sliced.set_change_limit(limit);
                let mut replay = sliced.begin_replay(Some(end), Default::default()).unwrap();
                let mut rest = &events[..];
                let mut step = 1 + seed as usize;
                while !rest.is_empty() {
                    let (now, later) = rest.split_at(step.min(rest.len()));
                    replay.feed(now).unwrap();
                    rest = later;
                    step = step * 7 % 1_000 + 1;
                }
                replay.feed(&[]).unwrap();
                // Dropped rather than finished (as when its feeder stops early): the same end.
                drop(replay);
                assert_eq!(sliced.report(Some(end)), expected, "seed {seed} {rules}");
                assert_eq!(newest(&sliced), newest(&whole), "seed {seed} {rules}");
                // Only a fresh engine replays a whole log.
                assert!(sliced.begin_replay(Some(end), Default::default()).is_none());

                // The same, owning its engine between batches (the big-shop worker's way).
                let mut owned = engine.clone();
                owned.set_change_limit(limit);
                let mut replay = OwnedReplay::new(owned, Some(end), Default::default()).ok().unwrap();
                for day in events.chunk_by(|a, b| a.at.date() == b.at.date()) {
                    replay.feed(day).unwrap();
                }
                assert_eq!(replay.events_fed(), events.len());
                let owned = replay.finish();
                assert_eq!(owned.report(Some(end)), expected, "seed {seed} {rules}");
                assert_eq!(newest(&owned), newest(&whole), "seed {seed} {rules}");
                assert!(OwnedReplay::new(owned, Some(end), Default::default()).is_err());
            }
        }
    }

    fn one_call_and_event_by_event_give_the_same_report() {
        for seed in 0..12 {
            for rules in ["taobao", "tmall"] {
                let (events, mut engine, end) = generated(seed, rules);
                let whole = replay_events(engine.clone(), &events, Some(end));
                let mut last = 0;
                for e in &events {
                    let applied = engine.apply(e);
                    assert!(applied.first_change >= last);
                    last = applied.first_change;
                }
                engine.advance_to(end).unwrap();
                assert_eq!(engine.report(Some(end)), whole, "seed {seed} {rules}");
                // One account's page equals its entry in the whole report.
                for (map, role) in [(&whole.sellers, Role::Seller), (&whole.buyers, Role::Buyer)] {
                    for (user, page) in map {
                        assert_eq!(engine.account_report(user, role, Some(end)).as_ref(), Some(page));
                    }
                }
                assert_eq!(engine.account_report("nobody", Role::Buyer, Some(end)), None);
            }
        }
    }

    fn the_whole_log_replay_matches_event_by_event_play_on_broken_logs() {
        // The batch replay behind `replay` against one-by-one play, on generated
        // logs broken on purpose: events out of time order, repeated, missing
        // (later events then name an unknown order), and an `as_of` before the end.
        let mut kinds = std::collections::BTreeSet::new();
        for seed in 0..16 {
            for rules in ["taobao", "tmall"] {
                let (events, mut engine, end) = generated(seed, rules);
                let events = broken(events, seed);
                let as_of = if seed % 3 == 0 { events[events.len() * 3 / 4].at } else { end };
                let whole = replay_events(engine.clone(), &events, Some(as_of));
                engine.set_horizon(Some(as_of));
                for e in &events {
                    engine.apply(e);
                }
                engine.close_through(as_of);
                assert_eq!(engine.report(Some(as_of)), whole, "seed {seed} {rules}");
                kinds.extend(whole.rejected.iter().map(|r| r.code.code().to_string()));
            }
        }
        for code in ["time_out_of_order", "after_as_of", "duplicate_id", "unknown_order", "already_reviewed"] {
            assert!(kinds.contains(code), "no broken log produced {code}: {kinds:?}");
        }
    }

    fn a_replay_of_many_pairs_ends_as_play_does() {
        // More than 4,096 buyer–seller pairs: the whole-log replay files its
        // requests in several buckets of pairs, and its feed, read back in feed
        // order (whole, or only the newest changes kept), must still be play's.
        let set = RuleSet::builtin("taobao").unwrap();
        let mut base = Engine::new(set.clone());
        let cfg = GenConfig { days: 60, orders_per_day: (300, 400), buyers: 20_000, regulars: 0.1, ..GenConfig::small(77) };
        let generator = Generator::new(cfg, &set, base.symbols_mut());
        let end = generator.end();
        let events = generator.all();
        let mut played = base.clone();
        played.set_horizon(Some(end));
        played.apply_all(&events);
        played.close_through(end);
        let expected = played.report(Some(end));
        assert!(expected.buyers.len() > 2 * 4_096, "{} buyers", expected.buyers.len());
        let all = |e: &Engine| e.changes_since(0).collect::<Vec<_>>();
        for limit in [None, Some(1), Some(333), Some(5_000)] {
            let mut whole = base.clone();
            whole.set_change_limit(limit);
            whole.replay_log(&events, Some(end));
            let newest = all(&played).split_off(played.change_count() - limit.unwrap_or(played.change_count()));
            assert_eq!(all(&whole), newest, "limit {limit:?}");
            // Read from the middle: the same changes as the tail of a whole read.
            let from = whole.change_count() - whole.kept_change_count() / 3;
            let middle: Vec<_> = whole.changes_since(from).collect();
            assert_eq!(middle[..], newest[newest.len() - middle.len()..], "limit {limit:?}");
            if limit.is_none() {
                assert_eq!(whole.report(Some(end)), expected);
                let times: Vec<Time> = (1..60).map(|d| events[0].at.plus_days(d)).collect();
                let buyer = expected.buyers.keys().nth(4_500).unwrap();
                for (user, role) in [("shop0", Role::Seller), (buyer.as_str(), Role::Buyer)] {
                    assert_eq!(whole.history(user, role, &times), played.history(user, role, &times), "{user}");
                }
            }
            // Play goes on after the replay (its compact feed made whole first).
            let mut more = whole.clone();
            let late = Event { at: end, body: EventBody::Review { order: events.iter().rev().find_map(|e| match e.body { EventBody::Order(o) => Some(o.id), _ => None }).unwrap(), from: Role::Seller, rating: Rating::Good } };
            more.apply(&late);
            let mut also = played.clone();
            also.set_change_limit(limit);
            also.apply(&late);
            let tail = |e: &Engine| { let v = all(e); v[v.len().saturating_sub(limit.unwrap_or(usize::MAX).min(v.len()))..].to_vec() };
            assert_eq!(tail(&more), tail(&also), "limit {limit:?}");
        }
    }

    fn an_accounts_history_is_what_playing_up_to_each_moment_showed() {
        // `Engine::history` reads each account's credit, 好评率 and shop rating at
        // chosen moments from the feed. Whether the feed came from a whole-log
        // replay or from play event by event, it must say what the report said
        // when play was paused at each of those moments. 240 days: the
        // six-month window of the shop rating drops its oldest ratings too.
        for seed in 60..63 {
            for rules in ["taobao", "tmall"] {
                let set = RuleSet::builtin(rules).unwrap();
                let mut base = Engine::new(set.clone());
                let cfg = GenConfig { days: 240, ..GenConfig::small(seed) };
                let generator = Generator::new(cfg, &set, base.symbols_mut());
                let end = generator.end();
                let events = generator.all();
                let first = events[0].at;
                // Every 9 days and a few hours, and the exact moments of some events.
                let mut times: Vec<Time> = (1..26).map(|k| first.plus_seconds(k * (9 * 86_400 + 7_777))).collect();
                times.extend(events.iter().step_by(97).map(|e| e.at));
                // Moments exactly six months after a shop rating: it has just left the window.
                let rated = events.iter().filter(|e| matches!(e.body, EventBody::Dsr { .. })).step_by(5);
                times.extend(rated.flat_map(|e| {
                    (181..=184).map(move |d| e.at.plus_days(d)).filter(move |t| t.minus_months(6) == Some(e.at))
                }));
                times.retain(|&t| t <= end);
                times.sort();
                times.dedup();

                let mut whole = base.clone();
                whole.replay_log(&events, Some(end));
                let mut played = base.clone();
                played.set_horizon(Some(end));
                played.apply_all(&events);
                played.close_through(end);
                let report = whole.report(Some(end));
                let accounts: Vec<(String, Role)> = report.sellers.keys().map(|u| (u.clone(), Role::Seller))
                    .chain(report.buyers.keys().map(|u| (u.clone(), Role::Buyer)))
                    .collect();

                let mut paused = base.clone();
                paused.set_horizon(Some(end));
                let mut next = 0;
                let mut expected: Vec<Vec<_>> = vec![Vec::new(); accounts.len()];
                for &t in &times {
                    while next < events.len() && events[next].at <= t {
                        paused.apply(&events[next]);
                        next += 1;
                    }
                    paused.advance_to(t).unwrap();
                    for (k, (user, role)) in accounts.iter().enumerate() {
                        let r = paused.account_report(user, *role, Some(t));
                        expected[k].push(r.map(|r| (r.credit, r.positive_rate, r.dsr)).unwrap_or((0, None, None)));
                    }
                }
                let (mut compared, mut dropped, mut below_one) = (0, false, false);
                for (k, (user, role)) in accounts.iter().enumerate() {
                    for engine in [&whole, &played] {
                        let history = engine.history(user, *role, &times).unwrap();
                        let got: Vec<_> = history.into_iter().map(|s| (s.credit, s.positive_rate, s.dsr)).collect();
                        // An account that had not traded yet has no report: the history says 0.
                        for ((g, e), t) in got.iter().zip(&expected[k]).zip(&times) {
                            if e.0 == 0 && e.1.is_none() && e.2.is_none() {
                                assert_eq!((g.0, g.1), (0, None), "seed {seed} {rules} {user} at {t}");
                            } else {
                                assert_eq!(g, e, "seed {seed} {rules} {user} {role:?} at {t}");
                                compared += 1;
                                below_one |= g.1.is_some_and(|r| r < 1.0);
                            }
                        }
                    }
                    // A shop whose counted ratings fell: the window dropped old ones.
                    let count = |d: &Option<std::collections::BTreeMap<String, _>>| {
                        d.as_ref().map_or(0, |d| d.values().map(|s: &review_lab::credit::report::DsrStat| s.count).sum::<u64>())
                    };
                    dropped |= expected[k].windows(2).any(|w| count(&w[1].2) < count(&w[0].2));
                }
                assert!(compared > 100 && dropped && below_one, "seed {seed} {rules}: {compared} compared, dropped {dropped}, below one {below_one}");

                // Moments in any order: the same standings, in the order asked.
                let shuffled: Vec<Time> = times.iter().rev().copied().collect();
                let (user, role) = &accounts[0];
                let mut backwards = whole.history(user, *role, &shuffled).unwrap();
                backwards.reverse();
                assert_eq!(backwards, whole.history(user, *role, &times).unwrap());

                // With only the newest changes kept there is no history to read.
                let mut limited = base.clone();
                limited.set_change_limit(Some(5));
                limited.replay_log(&events, Some(end));
                assert!(limited.history(&accounts[0].0, accounts[0].1, &times).is_none());
                assert!(whole.history("nobody", Role::Seller, &times).is_none());
            }
        }
    }

    fn play_goes_on_event_by_event_after_a_whole_log_replay() {
        // After `replay_log`, the engine rebuilds its pair tables (14-day rule,
        // monthly cap, DSR cap) and plays on exactly as if it had played everything.
        for seed in 30..38 {
            for rules in ["taobao", "tmall"] {
                let (events, engine, end) = generated(seed, rules);
                let cut = events.len() / 2;
                let cut_at = events[cut - 1].at;
                let (mut batch, mut single, mut limited) = (engine.clone(), engine.clone(), engine);
                // An engine that keeps only the newest changes writes only those.
                limited.set_change_limit(Some(7));
                batch.replay_log(&events[..cut], Some(cut_at));
                limited.replay_log(&events[..cut], Some(cut_at));
                single.set_horizon(Some(cut_at));
                single.apply_all(&events[..cut]);
                single.close_through(cut_at);
                let newest = |e: &Engine| e.changes_since(0).collect::<Vec<_>>();
                let kept = newest(&single).split_off(single.change_count() - 7);
                assert_eq!(newest(&limited), kept, "seed {seed} {rules}");
                assert_eq!(limited.change_count(), single.change_count());
                for e in [&mut batch, &mut single, &mut limited] {
                    e.set_horizon(Some(end));
                    e.apply_all(&events[cut..]);
                    e.close_through(end);
                }
                assert_eq!(batch.report(Some(end)), single.report(Some(end)), "seed {seed} {rules}");
                let kept = newest(&single).split_off(single.change_count() - 7);
                assert_eq!(newest(&limited), kept, "seed {seed} {rules}");
            }
        }
    }

    fn the_parsed_json_log_replays_like_the_typed_events() {
        for seed in 20..24 {
            let (events, engine, end) = generated(seed, "taobao");
            let typed = replay_events(engine.clone(), &events, Some(end));
            let json_log = log_json("taobao", Some(end), &events, engine.symbols());
            let parsed = replay_value(&json_log).unwrap();
            assert_eq!(parsed, typed, "seed {seed}");
        }
    }

    fn credit_is_the_sum_of_the_feed_and_no_pair_gains_more_than_six_a_month() {
        let mut reached_cap = false;
        for seed in 100..130 {
            for rules in ["taobao", "tmall"] {
                let (events, engine, end) = generated(seed, rules);
                let report = replay_events(engine, &events, Some(end));
                assert!(report.changes.len() > 10, "seed {seed}: too quiet a world");
                let mut sums = std::collections::HashMap::new();
                for c in &report.changes {
                    *sums.entry((c.user.clone(), c.role)).or_insert(0i64) += i64::from(c.delta);
                    let accounts = if c.role == Role::Seller { &report.sellers } else { &report.buyers };
                    assert!(accounts.contains_key(&c.user));
                }
                for (map, role) in [(&report.sellers, Role::Seller), (&report.buyers, Role::Buyer)] {
                    for (user, account) in map {
                        let sum = sums.get(&(user.clone(), role)).copied().unwrap_or(0);
                        assert_eq!(account.credit, sum, "seed {seed} {rules} {user}");
                        let rate = account.positive_rate;
                        let total = account.counts.total;
                        let all = total.good + total.neutral + total.bad;
                        assert_eq!(rate.is_none(), all == 0);
                    }
                }
                // Per (receiver, role, giver, order's created month): the +1 points that
                // stand never exceed 6, checked after every change of the feed.
                let order_info = order_index(&events, &engine_symbols(seed, rules));
                let mut points = std::collections::HashMap::new();
                let mut gains = std::collections::HashMap::<_, i64>::new();
                for c in &report.changes {
                    let (buyer, seller, month) = order_info[&c.order].clone();
                    let giver = if c.role == Role::Seller { buyer } else { seller };
                    let p = points.entry((c.order.clone(), c.role)).or_insert(0i64);
                    let before = (*p).max(0);
                    *p += i64::from(c.delta);
                    assert!((-1..=1).contains(p), "a review is worth −1, 0 or +1");
                    let g = gains.entry((c.user.clone(), c.role, giver, month)).or_default();
                    *g += (*p).max(0) - before;
                    assert!(*g <= 6, "seed {seed} {rules}: {} gained {} in a month", c.user, g);
                }
                reached_cap |= gains.values().any(|&g| g == 6);
            }
        }
        assert!(reached_cap, "no generated world reached the monthly cap: the property went untested");
    }

    fn malformed_input_is_an_error_never_a_panic() {
        let bad = [
            "", "null", "[]", "{", "{\"events\": 3}", "{\"events\": [null]}", "{\"events\": [{}]}",
            "{\"events\": [{\"kind\": 5, \"at\": \"2026-03-01T10:00\"}]}",
            "{\"events\": [{\"kind\": \"order\", \"at\": \"2026-03-01T10:00\", \"id\": [], \"buyer\": \"b\"}]}",
            "{\"as_of\": \"yesterday\", \"events\": []}",
            "{\"events\": [{\"kind\": \"review\", \"order\": \"o\", \"from\": \"cat\", \"rating\": \"good\", \"at\": \"2026-03-01T10:00\"}]}",
            "{\"events\": [{\"kind\": \"order\", \"id\": \"o\", \"buyer\": \"b\", \"seller\": \"s\", \"item\": \"i\", \"price\": \"9\", \"created\": \"2026-03-01T10:00\", \"at\": \"2026-03-01T10:00\"}]}",
            "{\"events\": [{\"kind\": \"dsr\", \"order\": \"o\", \"from\": \"seller\", \"at\": \"2026-03-01T10:00\"}]}",
        ];
        for text in bad {
            let err = review_lab::credit::replay_str(text).unwrap_err();
            assert!(!err.code.is_empty() && !err.message.is_empty(), "{text}");
        }
        // Every mutation of a generated log: drop or retype one field of one event.
        let (events, engine, end) = generated(7, "taobao");
        let log = log_json("taobao", Some(end), &events[..events.len().min(60)], engine.symbols());
        let list = log["events"].as_array().unwrap();
        for (i, e) in list.iter().enumerate() {
            for key in e.as_object().unwrap().keys() {
                for replacement in [Value::Null, json!(-1e308), json!("２０２６"), json!({"x": 1}), json!("")] {
                    let mut mutated = log.clone();
                    mutated["events"][i][key] = replacement.clone();
                    let _ = replay_value(&mutated);
                    let mut removed = log.clone();
                    removed["events"][i].as_object_mut().unwrap().remove(key);
                    if let Err(err) = replay_value(&removed) {
                        assert_eq!(err.event, Some(i), "{key}");
                    }
                }
            }
        }
    }

    fn a_rejected_event_changes_nothing() {
        let (events, mut engine, end) = generated(3, "taobao");
        let mut rejected = 0;
        for e in &events {
            let before = engine.report(Some(end));
            let applied = engine.apply(e);
            if applied.rejected.is_some() {
                rejected += 1;
                let mut after = engine.report(Some(end));
                assert_eq!(after.rejected.pop().map(|r| r.event), Some(engine.events_seen() - 1));
                // Defaults that fell due before the event may have fired; nothing else moved.
                if after.changes_total == before.changes_total {
                    assert_eq!(after, before);
                }
            }
        }
        assert!(rejected > 0, "the small world should produce some rejections");
    }

    fn same_item_orders_created_at_the_ends_of_time_compare_without_overflow() {
        // Times beyond the calendar come only from Rust (a log's times are
        // years 0000-9999), but their distance must still not overflow.
        let rules = RuleSet::builtin("taobao").unwrap();
        let mut fresh = Engine::new(rules);
        let s = fresh.symbols_mut();
        let [b, sl, item] = ["b", "s", "i"].map(|n| s.intern(n));
        let ids = ["o1", "o2", "o3"].map(|n| s.intern(n));
        let created = [i64::MIN, 0, i64::MAX - 200].map(Time::from_seconds);
        let at = |k: i64| Time::from_seconds(i64::MAX - 100 + k);
        let mut events: Vec<Event> = ids
            .iter()
            .zip(created)
            .map(|(&id, created)| Event {
                at: at(0),
                body: EventBody::Order(OrderEvent { id, buyer: b, seller: sl, item, price: 5.0, created }),
            })
            .collect();
        events.extend(ids.iter().enumerate().map(|(k, &order)| Event {
            at: at(1 + k as i64),
            body: EventBody::Review { order, from: Role::Buyer, rating: Rating::Good },
        }));
        // The three orders are created far more than 14 days apart: each good
        // review scores, played one by one and replayed whole.
        for engine in &replayed_and_played(fresh, &events) {
            let report = engine.report(None);
            assert_eq!(report.sellers["s"].credit, 3, "{:?} {:?}", report.changes, report.rejected);
            assert!(report.changes.iter().all(|c| c.reason.code() == "scored"));
        }
    }

    fn a_rule_set_built_in_rust_outside_the_checked_ranges_plays_without_panic() {
        // RuleSet::from_json refuses most of these values, but a RuleSet built
        // in Rust is not checked (its fields are public). The engine saturates
        // instead of overflowing: nothing panics (overflow checks are on in
        // test builds), and the whole-log replay still ends as event-by-event play.
        type Edit = fn(&mut RuleSet);
        let edits: [(&str, Edit); 16] = [
            ("window 0", |r| r.review_window_days = 0),
            ("window < 0", |r| r.review_window_days = -5),
            ("window max", |r| r.review_window_days = i64::MAX),
            ("same item max", |r| r.same_item_days = i64::MAX),
            ("same item min", |r| r.same_item_days = i64::MIN),
            ("revise max", |r| r.revise_days = i64::MAX),
            ("revise < 0", |r| r.revise_days = -3),
            ("follow-up and reply max", |r| {
                r.follow_up_days = i64::MAX;
                r.reply_days = i64::MAX;
            }),
            ("cap max", |r| r.monthly_cap = u32::MAX),
            ("dsr months 0", |r| r.dsr.months = 0),
            ("dsr months max", |r| r.dsr.months = u32::MAX),
            ("dsr cap 0", |r| r.dsr.per_month_cap = 0),
            ("low price NaN", |r| r.low_price_max = f64::NAN),
            ("low price ∞", |r| r.low_price_max = f64::INFINITY),
            ("no levels", |r| r.level_table.clear()),
            ("no dimensions", |r| r.dsr.dimensions.clear()),
        ];
        for (what, edit) in edits {
            let mut rules = RuleSet::builtin("taobao").unwrap();
            edit(&mut rules);
            let mut engine = Engine::new(rules.clone());
            let generator = Generator::new(GenConfig::small(3), &rules, engine.symbols_mut());
            let end = generator.end();
            let events = generator.all();
            let mut single = engine.clone();
            engine.replay_log(&events, Some(end));
            single.apply_all(&events);
            single.advance_to(end).unwrap();
            assert_eq!(engine.report(Some(end)), single.report(Some(end)), "{what}");
        }
    }

    fn a_price_is_bad_when_negative_or_not_finite_and_zero_either_way_is_fine() {
        // NaN and the infinities come only from Rust (JSON has none).
        let prices = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, -f64::MIN_POSITIVE, -0.0, 0.0, f64::MAX];
        let mut fresh = Engine::new(RuleSet::builtin("taobao").unwrap());
        let s = fresh.symbols_mut();
        let [b, sl, item] = ["b", "s", "i"].map(|n| s.intern(n));
        let at = t("2026-03-01T10:00");
        let events: Vec<Event> = prices
            .iter()
            .enumerate()
            .map(|(k, &price)| Event {
                at,
                body: EventBody::Order(OrderEvent { id: s.intern(&format!("o{k}")), buyer: b, seller: sl, item, price, created: at }),
            })
            .collect();
        for engine in &replayed_and_played(fresh, &events) {
            let report = engine.report(None);
            let bad: Vec<(usize, &str)> = report.rejected.iter().map(|r| (r.event, r.code.code())).collect();
            assert_eq!(bad, [(0, "bad_price"), (1, "bad_price"), (2, "bad_price"), (3, "bad_price"), (4, "bad_price")]);
            assert_eq!(engine.order_count(), 3);
        }
    }

    fn the_clock_only_moves_forward_and_advancing_fires_defaults() {
        let set = RuleSet::builtin("taobao").unwrap();
        let mut engine = Engine::new(set);
        let syms = engine.symbols_mut();
        let (o, b, s, i) = (syms.intern("o1"), syms.intern("b1"), syms.intern("s1"), syms.intern("i1"));
        let order = OrderEvent { id: o, buyer: b, seller: s, item: i, price: 20.0, created: t("2026-03-01T10:00") };
        engine.apply(&Event { at: t("2026-03-01T10:00"), body: EventBody::Order(order) });
        engine.apply(&Event { at: t("2026-03-02T10:00"), body: EventBody::Review { order: o, from: Role::Buyer, rating: Rating::Good } });
        let step = engine.advance_to(t("2026-03-16T09:59:59")).unwrap();
        assert_eq!(engine.changes_since(step.first_change).count(), 0);
        let step = engine.advance_to(t("2026-03-16T10:00")).unwrap();
        let fired: Vec<_> = engine.changes_since(step.first_change).collect();
        assert_eq!(fired.len(), 1);
        assert_eq!(fired[0].reason.code(), "default_good");
        assert_eq!(engine.credit("b1", Role::Buyer), 1);
        assert!(engine.advance_to(t("2026-03-01T00:00")).is_err());
        let late = engine.apply(&Event { at: t("2026-03-15T00:00"), body: EventBody::Dsr { order: o, scores: DsrScores { values: [DsrValue::Score(5); 4], unknown: None } } });
        assert_eq!(late.rejected.map(|r| r.code.code()), Some("time_out_of_order"));
    }
}

/// `fresh` after a whole-log replay of `events` and after playing them one by
/// one (no `as_of`: nothing closes after the last event).
fn replayed_and_played(fresh: Engine, events: &[Event]) -> [Engine; 2] {
    let mut whole = fresh.clone();
    whole.replay_log(events, None);
    let mut single = fresh;
    single.apply_all(events);
    [whole, single]
}

/// `events` broken on purpose, the same way for the same seed: some swapped
/// with a neighbour (out of time order), some repeated later, some dropped.
fn broken(mut events: Vec<Event>, seed: u64) -> Vec<Event> {
    let mut rng = review_lab::rng::Rng::new(seed ^ 0x0b5e_55ed);
    let n = events.len();
    for _ in 0..n / 25 {
        let i = rng.below(events.len().saturating_sub(4).max(1));
        match rng.below(3) {
            0 => events.swap(i, i + 1 + rng.below(3)),
            1 => {
                let copy = events[i];
                let to = (i + 1 + rng.below(40)).min(events.len());
                events.insert(to, copy);
            }
            _ => {
                events.remove(i);
            }
        }
    }
    events
}

fn engine_symbols(seed: u64, rules: &str) -> review_lab::credit::symbols::Symbols {
    generated(seed, rules).1.symbols().clone()
}

fn order_index(
    events: &[Event],
    syms: &review_lab::credit::symbols::Symbols,
) -> std::collections::HashMap<String, (String, String, i32)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Order(o) => Some((
                syms.name(o.id).into_owned(),
                (
                    syms.name(o.buyer).into_owned(),
                    syms.name(o.seller).into_owned(),
                    o.created.month(),
                ),
            )),
            _ => None,
        })
        .collect()
}
