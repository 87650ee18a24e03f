// Evaluators receive the ranged play as YAML (EvalJob.playYaml); parsing it once per text keeps a job cheap.
import { PlayforgeError } from '../../common/index.ts';
import { loadPlay, type Play } from '../../dsl/index.ts';

export class PlayTextCache {
  private readonly plays = new Map<string, Play>();

  get(yaml: string): Play {
    let play = this.plays.get(yaml);
    if (!play) {
      const { play: parsed, errors } = loadPlay(yaml, 'evaluation job');
      if (!parsed) throw new PlayforgeError('EVOLVE_BAD_JOB', `the job's play does not validate: ${errors.map((e) => e.format()).join('; ')}`);
      play = parsed;
      // A run evolves a handful of plays; the bound only guards a long-lived worker.
      if (this.plays.size >= 16) this.plays.delete(this.plays.keys().next().value as string);
      this.plays.set(yaml, play);
    }
    return play;
  }
}
