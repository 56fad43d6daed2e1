"""Every numerical tolerance of the sortition engine, stated once, with the reason for its size.

The promise `find_leximin` checks exactly before it returns (verify.py): every type's probability is at
least the LEXIMIN level found for it minus ACCEPT. The tolerances below add up to less than that:

    slack of the relaxed levels (at most SLACK_LIMIT)              1e-7
  + the finishing master's gap (z >= 1 - GAP, levels at most 1)   1e-7
  + the polishing LP's feasibility (POLISH_FEASIBILITY)           1e-9
  + rounding the weights to integers over WEIGHT_SCALE            panels / 2^33, 1.2e-7 for 1,000 panels
  = about 3.3e-7 < ACCEPT = 1e-6
"""

# The guarantee: every type gets at least its LEXIMIN level minus this (absolute probability).
ACCEPT = 1e-6

# Primal and dual feasibility of the relaxation and polishing LPs (HiGHS's default is 1e-7): tighter, so
# that the levels they report are within ACCEPT of what their solution points reach.
RELAXATION_FEASIBILITY = 1e-9
POLISH_FEASIBILITY = 1e-9

# Fixed levels are imposed this much lower, so that rounding noise cannot make a later stage infeasible.
# When a stage is infeasible anyway (seen: a 2,000-person pool whose seventeenth relaxed stage was), the
# slack grows tenfold and the stage is solved again, up to SLACK_LIMIT; only then is it a solver failure.
SLACK = 1e-9
SLACK_LIMIT = 1e-7

# A panel must beat the known panels by this much to enter a master LP (pricing).
ENTER = 1e-7

# Stages: an interior dual price share of at least this fixes a type. A price y_t proves type t bound only
# up to (dual infeasibility) / y_t, and pricing leaves up to ENTER of dual infeasibility, so this keeps a
# wrong fix under 1e-5; types with smaller prices wait for a later stage at the same level.
FIX_SHARE = 1e-2

# Relaxation: a price share above this makes a type a candidate for fixing; every candidate is checked
# by an LP, and one that can rise by more than RISE is not fixed (the slack of the other fixed rows,
# pooled onto one type over thousands of people, can lift a bound type by up to about 1e-6).
CANDIDATE_SHARE = 1e-6
RISE = 1e-5

# Shortcut: the finishing master reaches its target when z >= 1 - GAP; it keeps adding panels while z
# rises by at least STALL_RISE within STALL_ROUNDS rounds, and after FAR_ROUNDS rounds only while z is
# within FAR of the target. Close to it, the tail can be long and is worth it (a 2,000-person pool was
# given up after 100 rounds while still rising, and the stages then took over 1,800 s); far from it, the
# target is out of reach (small panels: a 200/20 pool rose for 31 s of CPU to 0.964) and the stages,
# seeded with every panel found, should take over.
GAP = 1e-7
# The finishing master prices with its simplex duals (a vertex of the dual: cheap, warm-started) for
# VERTEX_ROUNDS rounds, then with interior-point duals (near the centre of the optimal dual face). Vertex
# duals jump between extreme points of a degenerate dual face, so each round's panels lift few of the
# hundreds of bound types and z creeps (the seed-six pool, 2,000/8/200: over 110 rounds, 170 s of CPU, z
# rising by a few 1e-9 a round); central duals weigh all of them, and the same pool finished in 40 rounds.
# Pools that finish within VERTEX_ROUNDS, and masters farther than FAR from the target (which the stages
# take over after FAR_ROUNDS), are priced exactly as before.
VERTEX_ROUNDS = 10
STALL_RISE = 1e-9
STALL_ROUNDS = 50
FAR_ROUNDS = 50
FAR = 1e-3

# Simplex iterations the relaxation and polishing LPs may take, per row and column (a solve takes one or
# two), before they are solved again another way: the primal simplex from scratch, then (the relaxation)
# the interior point method. The dual simplex can cycle on these degenerate LPs at their tight
# tolerances: on the polishing LP of the 825/75 robustness pool seed 1009 it ran 100,000 iterations in
# 12 s of CPU, and hours in all, without an answer, where the primal simplex took 1,600
# (docs/sortition.md). A count, not a time limit, so the same inputs still give the same answer.
SIMPLEX_ITERATIONS = 20

# Exact output: panel weights are rounded to integers over this scale.
WEIGHT_SCALE = 2**32
