#!/usr/bin/env python3
"""Writes a synthetic Primavera P6 XER of N activities (default 4000) to stdout: chains of 40
activities with cross links of three types and 1-day lags, a calendar with two holidays, one
resource on every other activity. The same shape as `synthetic_xer` in tests/schedules.rs.

    python3 bench/gen_xer.py 4000 > /tmp/big.xer
    hyperfine 'target/release/p80 check /tmp/big.xer'
"""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
out = ["ERMHDR\t19.12\t2027-01-04\tProject"]
out += ["%T\tPROJECT", "%F\tproj_id\tproj_short_name\tclndr_id\tplan_start_date\tlast_recalc_date",
        "%R\t1\tBIG\t1\t2027-01-04 08:00\t2027-01-04 08:00"]
cal = ("(0||CalendarData()((0||DaysOfWeek()((0||1()())" +
       "".join(f"(0||{d}()((0||0(s|08:00|f|16:00)())))" for d in range(2, 7)) +
       "(0||7()())))(0||Exceptions()((0||0(d|46405)())(0||1(d|46533)())))))")
out += ["%T\tCALENDAR", "%F\tclndr_id\tclndr_name\tday_hr_cnt\tclndr_data", f"%R\t1\tStandard\t8\t{cal}"]
out += ["%T\tTASK", "%F\ttask_id\tproj_id\twbs_id\tclndr_id\ttask_code\ttask_name\ttask_type\tstatus_code\tremain_drtn_hr_cnt\ttarget_drtn_hr_cnt"]
for i in range(n):
    h = 8 * (1 + (i * 7919) % 15)
    out.append(f"%R\t{i + 1}\t1\t\t1\tA{i * 10:05d}\tActivity {i}\tTT_Task\tTK_NotStart\t{h}\t{h}")
out += ["%T\tTASKPRED", "%F\ttask_pred_id\ttask_id\tpred_task_id\tproj_id\tpred_proj_id\tpred_type\tlag_hr_cnt"]
k = 0
for i in range(1, n):
    if i % 40:
        k += 1
        out.append(f"%R\t{k}\t{i + 1}\t{i}\t1\t1\tPR_FS\t0")
    if i >= 40 and i % 3 == 0:
        k += 1
        ty = ["PR_FS", "PR_SS", "PR_FF"][(i // 3) % 3]
        out.append(f"%R\t{k}\t{i + 1}\t{i - 39}\t1\t1\t{ty}\t8")
out += ["%T\tRSRC", "%F\trsrc_id\trsrc_name\trsrc_short_name\trsrc_type", "%R\t1\tEngineer\tENG\tRT_Labor"]
out += ["%T\tRSRCRATE", "%F\trsrc_rate_id\trsrc_id\tcost_per_qty\tstart_date", "%R\t1\t1\t90\t2020-01-01 00:00"]
out += ["%T\tTASKRSRC", "%F\ttaskrsrc_id\ttask_id\trsrc_id\tremain_qty_per_hr"]
out += [f"%R\t{i + 1}\t{i + 1}\t1\t1" for i in range(0, n, 2)]
out.append("%E")
sys.stdout.write("\n".join(out) + "\n")
