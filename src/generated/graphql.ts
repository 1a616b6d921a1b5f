export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  AWSDate: { input: string; output: string; }
  AWSDateTime: { input: string; output: string; }
  AWSEmail: { input: string; output: string; }
  AWSIPAddress: { input: string; output: string; }
  AWSJSON: { input: string; output: string; }
  AWSPhone: { input: string; output: string; }
  AWSTime: { input: string; output: string; }
  AWSTimestamp: { input: number; output: number; }
  AWSURL: { input: string; output: string; }
};

/** Score bands, A being the safest driving style. */
export type Band =
  | 'A'
  | 'B'
  | 'C'
  | 'D'
  | 'E';

export type Query = {
  __typename?: 'Query';
  /**
   * The driver's score for `period` (a month, `YYYY-MM`), or the latest month when `period`
   * is omitted. `null` when the driver (or that month) is unknown.
   */
  score: Maybe<Score>;
  /**
   * The driver's monthly scores, newest first. `from` and `to` are inclusive months
   * (`YYYY-MM`); `limit` is 1-100 (default 12); pass the previous page's `nextToken` to continue.
   */
  scoreHistory: ScoreConnection;
  /**
   * Scores of up to 100 drivers for one month, in the order of `driverIds`;
   * `null` where a driver has no score for that month.
   */
  scores: Array<Maybe<Score>>;
};


export type QueryScoreArgs = {
  driverId: Scalars['ID']['input'];
  period?: InputMaybe<Scalars['String']['input']>;
};


export type QueryScoreHistoryArgs = {
  driverId: Scalars['ID']['input'];
  from?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  nextToken?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['String']['input']>;
};


export type QueryScoresArgs = {
  driverIds: Array<Scalars['ID']['input']>;
  period: Scalars['String']['input'];
};

/** One driver's driving-style score for one month. */
export type Score = {
  __typename?: 'Score';
  /** Risk band derived from the score: A (best) to E (worst). */
  band: Band;
  /** The insured person's identifier: 1-64 characters of A-Z, a-z, 0-9, _ and -. */
  driverId: Scalars['ID']['output'];
  /** The behaviour factors the score is made of, each 0-100. */
  factors: ScoreFactors;
  /** Kilometres driven in the month. */
  kmDriven: Scalars['Float']['output'];
  /** Version of the scoring model that produced this score. */
  modelVersion: Scalars['String']['output'];
  /** The month the score refers to, YYYY-MM. */
  period: Scalars['String']['output'];
  /** Overall score, 0 (worst) to 100 (best). */
  score: Scalars['Int']['output'];
  /** Trips made in the month. */
  trips: Scalars['Int']['output'];
  /** When the score was computed (ISO-8601, UTC). */
  updatedAt: Scalars['AWSDateTime']['output'];
};

/** A page of scores, newest first. */
export type ScoreConnection = {
  __typename?: 'ScoreConnection';
  items: Array<Score>;
  /** Opaque token for the next page; null on the last page. */
  nextToken: Maybe<Scalars['String']['output']>;
};

/** Per-behaviour sub-scores, each 0 (worst) to 100 (best). */
export type ScoreFactors = {
  __typename?: 'ScoreFactors';
  acceleration: Scalars['Int']['output'];
  braking: Scalars['Int']['output'];
  cornering: Scalars['Int']['output'];
  nightDriving: Scalars['Int']['output'];
  speeding: Scalars['Int']['output'];
};
