//! Who sits in the facilitator's seat, turn by turn, and how each player stands. Pure: the
//! shells tell it when a moment was answered; it never reads input or the clock.

use serde::Serialize;

use crate::rehearse::scorecard::{self, DimScores, Moves, TurnRecord};

/// The most players one meeting can rotate through and still give each a few turns.
pub const MAX_PLAYERS: usize = 8;

#[derive(Debug, Clone)]
pub struct Seats {
    players: Vec<String>,
    /// For each of the session's turns so far, the index of the player who answered it; the
    /// seat goes round in order, so the next player follows from how many turns there were.
    by_turn: Vec<usize>,
}

/// One line of the leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    pub player: String,
    pub overall: u8,
    pub scores: DimScores,
    pub moves: Moves,
    pub turns: u32,
}

impl Seats {
    /// Players in turn order; names are trimmed and must be distinct (ignoring case).
    pub fn new(names: &[String]) -> Result<Seats, String> {
        let players: Vec<String> = names
            .iter()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        if players.len() < 2 {
            return Err(format!(
                "a workshop needs at least two players (got {}): --players \"Ana,Ben\"",
                players.len()
            ));
        }
        if players.len() > MAX_PLAYERS {
            return Err(format!(
                "at most {MAX_PLAYERS} players take turns in one meeting (got {})",
                players.len()
            ));
        }
        for (i, p) in players.iter().enumerate() {
            if players[..i].iter().any(|q| q.eq_ignore_ascii_case(p)) {
                return Err(format!("the player '{p}' is named twice"));
            }
        }
        Ok(Seats {
            players,
            by_turn: Vec::new(),
        })
    }

    pub fn players(&self) -> &[String] {
        &self.players
    }

    /// Who answers the moment at hand.
    pub fn current(&self) -> &str {
        &self.players[self.by_turn.len() % self.players.len()]
    }

    /// The current player answered (or skipped) the session's next turn; the seat passes on.
    pub fn answered(&mut self) {
        self.by_turn.push(self.by_turn.len() % self.players.len());
    }

    /// Who answered the session's turn `turn`.
    pub fn player_of(&self, turn: usize) -> Option<&str> {
        self.by_turn.get(turn).map(|&p| self.players[p].as_str())
    }

    /// Best first: overall, then moves met, then the turn order.
    pub fn leaderboard(&self, turns: &[TurnRecord]) -> Vec<Standing> {
        let mut board: Vec<(usize, Standing)> = self
            .players
            .iter()
            .enumerate()
            .map(|(order, player)| {
                let mine: Vec<&TurnRecord> = turns
                    .iter()
                    .zip(&self.by_turn)
                    .filter(|(_, &p)| p == order)
                    .map(|(t, _)| t)
                    .collect();
                let (scores, moves, overall) = scorecard::standing(&mine);
                let standing = Standing {
                    player: player.clone(),
                    overall,
                    scores,
                    moves,
                    turns: mine.len() as u32,
                };
                (order, standing)
            })
            .collect();
        board.sort_by(|(oa, a), (ob, b)| {
            b.overall
                .cmp(&a.overall)
                .then(b.moves.met.cmp(&a.moves.met))
                .then(oa.cmp(ob))
        });
        board.into_iter().map(|(_, s)| s).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::beat::BeatKind;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn turn(score: u8, met: bool) -> TurnRecord {
        TurnRecord {
            phase: "p".into(),
            after: Some(BeatKind::FingerPointing),
            text: "x".into(),
            skipped: false,
            pass: met,
            scores: DimScores {
                blamelessness: score,
                data: score,
                concision: score,
            },
            met: Some(met),
            problems: Vec::new(),
        }
    }

    #[test]
    fn players_are_checked() {
        assert!(Seats::new(&names(&["Ana"])).is_err());
        assert!(Seats::new(&names(&["Ana", " ", ""])).is_err());
        assert!(Seats::new(&names(&["Ana", "ana"])).is_err());
        assert!(Seats::new(&names(&["a", "b", "c", "d", "e", "f", "g", "h", "i"])).is_err());
        let s = Seats::new(&names(&[" Ana ", "Ben"])).unwrap();
        assert_eq!(s.players(), ["Ana", "Ben"]);
    }

    #[test]
    fn the_seat_rotates_and_the_board_ranks() {
        let mut s = Seats::new(&names(&["Ana", "Ben", "Chen"])).unwrap();
        let turns = vec![
            turn(40, false),
            turn(100, true),
            turn(70, true),
            turn(40, false),
        ];
        for _ in 0..turns.len() {
            s.answered();
        }
        assert_eq!(s.current(), "Ben");
        assert_eq!(s.player_of(3), Some("Ana"));
        let board = s.leaderboard(&turns);
        let order: Vec<&str> = board.iter().map(|b| b.player.as_str()).collect();
        assert_eq!(order, ["Ben", "Chen", "Ana"]);
        assert_eq!(board[0].overall, 100);
        assert_eq!((board[2].moves.met, board[2].moves.total), (0, 2));
        // Ana: rate 0, dims 40 → (0 + 40) / 2
        assert_eq!(board[2].overall, 20);
    }

    #[test]
    fn a_player_without_turns_scores_zero_and_ranks_last() {
        let mut s = Seats::new(&names(&["Ana", "Ben"])).unwrap();
        s.answered();
        let board = s.leaderboard(&[turn(80, true)]);
        assert_eq!(board[1].player, "Ben");
        assert_eq!((board[1].overall, board[1].turns), (0, 0));
    }
}
