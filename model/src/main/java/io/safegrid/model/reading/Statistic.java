package io.safegrid.model.reading;

/** Which number of a period a reading is (HJ 212 suffixes -Rtd, -Min, -Avg, -Max, -Cou). */
public enum Statistic { VALUE, MIN, AVG, MAX, TOTAL }
