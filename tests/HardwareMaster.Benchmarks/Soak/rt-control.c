// Control experiment for the paced soak (Soak/soak.sh): a native SCHED_FIFO thread doing a fixed ~20 us of arithmetic
// every 1.333 ms period (64 frames at 48 kHz), measuring per-iteration wall and thread-CPU time, to see what this machine does
// to a real-time workload with no runtime at all.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sched.h>
#include <sys/mman.h>
static double ns(struct timespec a, struct timespec b){return (b.tv_sec-a.tv_sec)*1e9+(b.tv_nsec-a.tv_nsec);}
int main(int argc,char**argv){
  long iters = argc>1? atol(argv[1]) : 450000; const double period=64.0/48000*1e9;
  struct sched_param sp={.sched_priority=70}; if(sched_setscheduler(0,SCHED_FIFO,&sp)) perror("sched");
  mlockall(MCL_CURRENT|MCL_FUTURE);
  static double buf[4096]; for(int i=0;i<4096;i++) buf[i]=i*1e-3;
  // calibrate work to ~20 us
  int reps=1; for(;;){struct timespec a,b; clock_gettime(CLOCK_THREAD_CPUTIME_ID,&a); volatile double acc=0; for(int r=0;r<reps;r++) for(int i=0;i<4096;i++) acc+=buf[i]*buf[(i*7)&4095]; clock_gettime(CLOCK_THREAD_CPUTIME_ID,&b); if(ns(a,b)>20000) break; reps++;}
  struct timespec next; clock_gettime(CLOCK_MONOTONIC,&next);
  double maxw=0,maxc=0; long over50=0,over100=0,cpuover50=0; double worst[8]={0}; long worstAt[8]={0};
  for(long it=0;it<iters;it++){
    next.tv_nsec += (long)period; while(next.tv_nsec>=1000000000){next.tv_nsec-=1000000000; next.tv_sec++;}
    clock_nanosleep(CLOCK_MONOTONIC,TIMER_ABSTIME,&next,NULL);
    struct timespec w0,c0,w1,c1; clock_gettime(CLOCK_MONOTONIC,&w0); clock_gettime(CLOCK_THREAD_CPUTIME_ID,&c0);
    volatile double acc=0; for(int r=0;r<reps;r++) for(int i=0;i<4096;i++) acc+=buf[i]*buf[(i*7)&4095];
    clock_gettime(CLOCK_THREAD_CPUTIME_ID,&c1); clock_gettime(CLOCK_MONOTONIC,&w1);
    double w=ns(w0,w1)*100/period, c=ns(c0,c1)*100/period;
    if(w>maxw)maxw=w; if(c>maxc)maxc=c; if(w>50)over50++; if(w>100)over100++; if(c>50)cpuover50++;
    int k=0; for(int j=1;j<8;j++) if(worst[j]<worst[k]) k=j; if(c>worst[k]){worst[k]=c; worstAt[k]=it;}
  }
  printf("iterations %ld, work reps %d, max wall %.1f %% max cpu %.1f %% of period; wall>50%%: %ld, wall>100%%: %ld, cpu>50%%: %ld\n",iters,reps,maxw,maxc,over50,over100,cpuover50);
  printf("largest CPU:"); for(int j=0;j<8;j++) printf(" %.1f%%@%ld",worst[j],worstAt[j]); printf("\n");
}
