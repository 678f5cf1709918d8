//! JavaScript surface of the lesson's big shop: a seeded half-year played in
//! Web Workers. One worker may generate the days ([`BigShopDays`]) while
//! another replays them ([`BigShopRun::feed_day`]); or one worker does both
//! ([`BigShopRun::step`]).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::credit::{account_summary, credit_error};
use super::{js_error, to_js};
use crate::credit::generate::{GenConfig, Generator};
use crate::credit::{wire, ChangeEntry, Engine, Event, OwnedReplay, ReportOptions, Role, RuleSet};
use crate::time::Time;

/// The most orders a day a generated shop may have (the lesson's big shop has 10,000).
const MAX_ORDERS_PER_DAY: u32 = 20_000;

/// The big shop from `seed`, scaled down to `orders_per_day` when given.
fn big_shop_config(seed: u64, orders_per_day: Option<u32>) -> GenConfig {
    let mut cfg = GenConfig::big_shop(seed);
    if let Some(n) = orders_per_day {
        // Bounded so that a mistyped figure cannot exhaust the page's memory.
        let n = n.clamp(1, MAX_ORDERS_PER_DAY);
        cfg.orders_per_day = (n * 4 / 5, n);
        cfg.buyers = (n * 60).max(10);
    }
    cfg
}

/// Memory a [`BigShopRun`] takes per order, measured: the lesson's big shop
/// (1,613,069 orders) ends with 403 MiB of wasm memory, 262 bytes an order.
/// Rounded down, so that warming never takes more than the run will.
const RUN_BYTES_PER_ORDER: f64 = 256.0;

/// The size of an operating-system page: touching one byte in each commits it.
const PAGE: usize = 4096;

/// Makes ready, ahead of a [`BigShopRun`] with the same `orders_per_day`, the
/// memory it will take: allocates it, touches every page and frees it, so the
/// run finds it in the allocator, already committed. In Chromium, a fresh
/// worker's first touch of 400 MiB took 0.2–0.35 s of the run; the page calls
/// this while a student's pointer rests on the start button. Returns the MiB
/// made ready.
#[wasm_bindgen(js_name = warmBigShop)]
pub fn warm_big_shop(orders_per_day: Option<u32>) -> Result<f64, JsValue> {
    let orders = big_shop_config(0, orders_per_day).expected_orders();
    let bytes = (orders * RUN_BYTES_PER_ORDER) as usize;
    let mut memory: Vec<u8> = Vec::new();
    memory.try_reserve_exact(bytes).map_err(|_| {
        js_error(
            "out_of_memory",
            "浏览器给不出大店半年所需的内存。",
            None,
            None,
        )
    })?;
    for byte in memory.spare_capacity_mut().iter_mut().step_by(PAGE) {
        byte.write(1);
    }
    // The writes are the point: kept from being optimised away with the buffer.
    std::hint::black_box(&mut memory);
    Ok(bytes as f64 / f64::from(1u32 << 20))
}

/// A generated shop played a chunk of days at a time (for a Web Worker with a
/// progress bar): the lesson's big shop by default. Each day is fed to one
/// whole-log replay as it is made; when the last day is in, the replay
/// finishes and the shop's history (its chart) is read from the feed.
#[wasm_bindgen]
pub struct BigShopRun {
    stage: Stage,
    generator: Generator,
    /// The generator's first day (the history's day 0).
    start: Time,
    events: usize,
    /// The day being fed (its buffer kept from day to day).
    day: Vec<Event>,
    /// Days fed from elsewhere ([`BigShopRun::feed_day`]); `None` while the
    /// run makes its own ([`BigShopRun::step`]) or before either.
    fed_days: Option<u32>,
    /// The symbol table's size: a fed day names nothing beyond it.
    symbols: usize,
}

/// Where a [`BigShopRun`] is: feeding days, or finished with its engine whole.
enum Stage {
    Running(Box<OwnedReplay>),
    Done(Box<Engine>),
    /// Only while one stage becomes the other.
    Moving,
}

/// Progress of a [`BigShopRun`].
#[derive(Serialize)]
struct Progress {
    day: u32,
    days: u32,
    events: usize,
    orders: usize,
    done: bool,
}

/// The shop at the end of one day of a [`BigShopRun`].
#[derive(Serialize)]
struct DaySample {
    /// Days played (the moment is the end of that day).
    day: u32,
    credit: i64,
    positive_rate: Option<f64>,
    dsr: Option<std::collections::BTreeMap<String, crate::credit::report::DsrStat>>,
}

fn too_many_events() -> JsValue {
    js_error("too_many_events", "事件太多，无法整体回放。", None, None)
}

fn mixed() -> JsValue {
    js_error(
        "run_mixed",
        "同一次大店计算不能既自己生成日子、又接收别处生成的日子。",
        None,
        None,
    )
}

fn not_finished() -> JsValue {
    js_error(
        "run_not_finished",
        "大店半年还没有算完，请等进度到最后一天。",
        None,
        None,
    )
}

#[wasm_bindgen]
impl BigShopRun {
    /// A run of the big shop (8,000–10,000 orders a day for half a year) from `seed`,
    /// under `rules`. `orders_per_day` (optional) scales it down, e.g. for a demo.
    #[wasm_bindgen(constructor)]
    pub fn new(seed: f64, rules: &str, orders_per_day: Option<u32>) -> Result<BigShopRun, JsValue> {
        let set = RuleSet::builtin(rules).map_err(credit_error)?;
        let cfg = big_shop_config(seed as u64, orders_per_day);
        let start = cfg.start;
        // Every change is kept: the chart is read from the feed at the end.
        let mut engine = Engine::new(set.clone());
        let generator = Generator::new(cfg, &set, engine.symbols_mut());
        let symbols = engine.symbols().len();
        let replay = OwnedReplay::new(engine, Some(generator.end()), generator.capacity())
            .map_err(|_| {
                js_error(
                    "engine_not_fresh",
                    "模拟器已有事件，无法整体回放。",
                    None,
                    None,
                )
            })?;
        Ok(BigShopRun {
            stage: Stage::Running(Box::new(replay)),
            generator,
            start,
            events: 0,
            day: Vec::new(),
            fed_days: None,
            symbols,
        })
    }

    /// Plays up to `days` more days; returns `{day, days, events, orders, done}`.
    /// After the last day the replay finishes (scoring every review of the
    /// half-year at once), so the last step takes a little longer. (An error
    /// once days were fed with [`BigShopRun::feed_day`].)
    pub fn step(&mut self, days: u32) -> Result<JsValue, JsValue> {
        if self.fed_days.is_some() {
            return Err(mixed());
        }
        if let Stage::Running(replay) = &mut self.stage {
            for _ in 0..days {
                if !self.generator.fill_day(&mut self.day) {
                    break;
                }
                self.events += self.day.len();
                replay.feed(&self.day).map_err(|_| too_many_events())?;
            }
        }
        self.progress()
    }

    /// Replays the next day as made elsewhere: by a [`BigShopDays`] of the same
    /// seed, rules and size, in another worker, whose `next()` gave `bytes`.
    /// Returns the progress as [`BigShopRun::step`] does; after the last day
    /// the replay finishes. Bytes that are not such a day are refused with a
    /// code, and the run is as it was. (An error once the run made days itself.)
    #[wasm_bindgen(js_name = feedDay)]
    pub fn feed_day(&mut self, bytes: &[u8]) -> Result<JsValue, JsValue> {
        let (made, total) = self.generator.progress();
        let fed = self.fed_days.unwrap_or(0);
        if made > 0 {
            return Err(mixed());
        }
        let Stage::Running(replay) = &mut self.stage else {
            return Err(js_error(
                "run_finished",
                "大店半年已经算完，不能再送入新的一天。",
                None,
                None,
            ));
        };
        self.day.clear();
        wire::decode(bytes, self.symbols, &mut self.day).map_err(|e| {
            js_error(
                "bad_day",
                &format!("送入的一天无法读取（第 {} 字节起：{}）。", e.offset, e.zh),
                None,
                None,
            )
        })?;
        replay.feed(&self.day).map_err(|_| too_many_events())?;
        self.events += self.day.len();
        self.fed_days = Some((fed + 1).min(total));
        self.progress()
    }

    /// `{day, days, events, orders, done}`; finishes the replay after the last day.
    fn progress(&mut self) -> Result<JsValue, JsValue> {
        let (made, total) = self.generator.progress();
        let day = self.fed_days.unwrap_or(made);
        let done = day >= total;
        if done {
            if let Stage::Running(replay) = std::mem::replace(&mut self.stage, Stage::Moving) {
                self.stage = Stage::Done(Box::new(replay.finish()));
                self.day = Vec::new();
            }
        }
        let orders = match &self.stage {
            Stage::Running(replay) => replay.order_count(),
            Stage::Done(engine) => engine.order_count(),
            Stage::Moving => 0,
        };
        to_js(&Progress {
            day,
            days: total,
            events: self.events,
            orders,
            done,
        })
    }

    fn engine(&self) -> Result<&Engine, JsValue> {
        match &self.stage {
            Stage::Done(engine) => Ok(engine),
            _ => Err(not_finished()),
        }
    }

    /// The shop's credit page at the end of the half-year (an error before the
    /// run is done).
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        account_summary(self.engine()?, "shop0", "seller", None)
    }

    /// The shop at the end of every `every`-th day and of the last day:
    /// `[{day, credit, positive_rate, dsr}]` (the chart), read from the feed.
    pub fn history(&self, every: u32) -> Result<JsValue, JsValue> {
        let engine = self.engine()?;
        let (_, total) = self.generator.progress();
        let every = every.max(1);
        let mut days: Vec<u32> = (1..=total).filter(|d| d % every == 0).collect();
        if days.last() != Some(&total) {
            days.push(total);
        }
        // The end of day d: the last second before the next one starts.
        let times: Vec<Time> = days
            .iter()
            .map(|&d| self.start.plus_days(i64::from(d)).plus_seconds(-1))
            .collect();
        let history = engine
            .history("shop0", Role::Seller, &times)
            .unwrap_or_default();
        let samples: Vec<DaySample> = days
            .iter()
            .zip(history)
            .map(|(&day, s)| DaySample {
                day,
                credit: s.credit,
                positive_rate: s.positive_rate,
                dsr: s.dsr,
            })
            .collect();
        to_js(&samples)
    }

    /// The newest changes (at most `max`, oldest first) for the simulator's
    /// feed: unlike `report()`, this does not list the run's 600,000 buyers.
    #[wasm_bindgen(js_name = recentChanges)]
    pub fn recent_changes(&self, max: usize) -> Result<JsValue, JsValue> {
        let engine = self.engine()?;
        let first = engine.change_count().saturating_sub(max);
        let entries: Vec<ChangeEntry> = engine
            .changes_since(first)
            .map(|c| engine.change_entry(&c))
            .collect();
        to_js(&entries)
    }

    /// The report at the end of the generated period.
    pub fn report(&self, max_changes: Option<usize>) -> Result<JsValue, JsValue> {
        let options = ReportOptions {
            max_changes: Some(max_changes.unwrap_or(200)),
            max_rejected: Some(200),
        };
        let engine = self.engine()?;
        to_js(&engine.report_with(Some(self.generator.end()), options))
    }
}

/// The big shop's days, made one at a time as bytes for a [`BigShopRun`] in
/// another worker ([`BigShopRun::feed_day`]): generating in one worker while
/// the other replays takes the generator's time off the run's.
#[wasm_bindgen]
pub struct BigShopDays {
    generator: Generator,
    day: Vec<Event>,
}

#[wasm_bindgen]
impl BigShopDays {
    /// The days of the run `new BigShopRun(seed, rules, orders_per_day)` would make.
    #[wasm_bindgen(constructor)]
    pub fn new(
        seed: f64,
        rules: &str,
        orders_per_day: Option<u32>,
    ) -> Result<BigShopDays, JsValue> {
        let set = RuleSet::builtin(rules).map_err(credit_error)?;
        // The same symbol table as the run's: its engine's, made the same way.
        let mut engine = Engine::new(set.clone());
        let generator = Generator::new(
            big_shop_config(seed as u64, orders_per_day),
            &set,
            engine.symbols_mut(),
        );
        Ok(BigShopDays {
            generator,
            day: Vec::new(),
        })
    }

    /// The next day as bytes (`Uint8Array`), or `undefined` after the last.
    pub fn next(&mut self) -> Option<Vec<u8>> {
        if !self.generator.fill_day(&mut self.day) {
            return None;
        }
        let mut bytes = Vec::with_capacity(self.day.len() * 24);
        wire::encode(&self.day, &mut bytes);
        Some(bytes)
    }
}
