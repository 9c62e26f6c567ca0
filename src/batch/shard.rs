//! Shards: one slice of an archive for one task of a job array. articast builds no
//! scheduler: it is a good citizen of the ones people run. The slice is chosen by
//! hashing each article's identity, so that every task agrees on it without talking to
//! the others, and it is read from `--shard K/N`, else from the job array's environment
//! (Kubernetes Indexed Jobs, Slurm arrays).

/// One slice of `count`, numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This slice, 1 to `count`.
    pub index: u32,
    /// How many slices.
    pub count: u32,
}

/// Why a shard could not be settled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    /// `--shard` is not `K/N` with 1 ≤ K ≤ N.
    #[error("--shard {0}: give K/N with 1 <= K <= N, e.g. --shard 3/8")]
    Syntax(String),
    /// A job array index without a count.
    #[error("{0} is set but not the number of shards; pass --shards N or set ARTICAST_SHARDS")]
    NoCount(&'static str),
    /// The environment's values do not make a shard.
    #[error("{variable}={value} does not make a shard of {count}")]
    Environment {
        /// The variable.
        variable: &'static str,
        /// Its value.
        value: String,
        /// The count.
        count: u32,
    },
}

impl Shard {
    /// The whole archive.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// Parses `K/N`.
    pub fn parse(spec: &str) -> Result<Shard, ShardError> {
        let bad = || ShardError::Syntax(spec.to_string());
        let (k, n) = spec.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// The shard a job array gives this task: `JOB_COMPLETION_INDEX` (Kubernetes
    /// Indexed Jobs, from 0) with the count from `count` or `ARTICAST_SHARDS`, or
    /// `SLURM_ARRAY_TASK_ID` less `SLURM_ARRAY_TASK_MIN` of `SLURM_ARRAY_TASK_COUNT`
    /// (Slurm arrays). `None` when neither is set. `env` reads a variable.
    pub fn from_environment(
        count: Option<u32>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Shard>, ShardError> {
        let number = |v: &str| env(v).and_then(|s| s.trim().parse::<u32>().ok());
        let count = count.or_else(|| number("ARTICAST_SHARDS"));
        if let Some(index) = env("JOB_COMPLETION_INDEX") {
            let count = count.ok_or(ShardError::NoCount("JOB_COMPLETION_INDEX"))?;
            return Self::from_zero_based("JOB_COMPLETION_INDEX", &index, 0, count).map(Some);
        }
        if let Some(task) = env("SLURM_ARRAY_TASK_ID") {
            let count = count
                .or_else(|| number("SLURM_ARRAY_TASK_COUNT"))
                .ok_or(ShardError::NoCount("SLURM_ARRAY_TASK_ID"))?;
            let min = number("SLURM_ARRAY_TASK_MIN").unwrap_or(0);
            return Self::from_zero_based("SLURM_ARRAY_TASK_ID", &task, min, count).map(Some);
        }
        Ok(None)
    }

    fn from_zero_based(
        variable: &'static str,
        value: &str,
        min: u32,
        count: u32,
    ) -> Result<Shard, ShardError> {
        let bad = || ShardError::Environment {
            variable,
            value: value.to_string(),
            count,
        };
        let raw: u32 = value.trim().parse().map_err(|_| bad())?;
        let index = raw.checked_sub(min).ok_or_else(bad)?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard {
            index: index + 1,
            count,
        })
    }

    /// Whether the article of `identity` belongs to this shard.
    pub fn owns(&self, identity: &str) -> bool {
        if self.count <= 1 {
            return true;
        }
        let digest = blake3::hash(identity.as_bytes());
        let bytes: [u8; 8] = digest.as_bytes()[..8].try_into().expect("8 bytes");
        u64::from_le_bytes(bytes) % self.count as u64 == (self.index - 1) as u64
    }

    /// A name for its manifest part: `part-03-of-08`.
    pub fn part_name(&self) -> String {
        let width = self.count.to_string().len().max(2);
        format!(
            "part-{:0width$}-of-{:0width$}",
            self.index,
            self.count,
            width = width
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn flags_and_job_arrays() {
        assert_eq!(Shard::parse("3/8"), Ok(Shard { index: 3, count: 8 }));
        for bad in ["0/8", "9/8", "3", "a/b", "1/0"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        let k8s = env_of(&[("JOB_COMPLETION_INDEX", "2")]);
        assert_eq!(
            Shard::from_environment(Some(4), &k8s),
            Ok(Some(Shard { index: 3, count: 4 }))
        );
        assert!(Shard::from_environment(None, &k8s).is_err());
        let slurm = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "8"),
        ]);
        assert_eq!(
            Shard::from_environment(None, &slurm),
            Ok(Some(Shard { index: 5, count: 8 }))
        );
        assert_eq!(Shard::from_environment(None, &env_of(&[])), Ok(None));
        assert_eq!(Shard { index: 3, count: 8 }.part_name(), "part-03-of-08");
    }

    #[test]
    fn every_article_belongs_to_exactly_one_shard() {
        for i in 0..500 {
            let id = format!("posts/{i}.md");
            let owners = (1..=4)
                .filter(|&k| Shard { index: k, count: 4 }.owns(&id))
                .count();
            assert_eq!(owners, 1, "{id}");
        }
        let counts: Vec<usize> = (1..=4)
            .map(|k| {
                (0..400)
                    .filter(|i| Shard { index: k, count: 4 }.owns(&format!("{i}")))
                    .count()
            })
            .collect();
        assert!(
            counts.iter().all(|&c| (60..=140).contains(&c)),
            "{counts:?}"
        );
    }
}
