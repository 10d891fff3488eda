#!/usr/bin/env python3
"""Functions longer than 60 lines under the given source roots (test
modules excluded): `python3 scripts/long-functions.py pale-server/src
pale-core/src`. A brace-counting scan, not a parser: good enough to keep
the request path in short functions."""
import re,sys,os
def scan(path):
    lines=open(path).read().split('\n')
    out=[]
    i=0
    in_test=False
    while i<len(lines):
        l=lines[i]
        if re.match(r'\s*#\[cfg\(test\)\]',l): break
        m=re.match(r'\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)',l)
        if m:
            # find opening brace
            j=i; depth=0; started=False
            while j<len(lines):
                for ch in lines[j]:
                    if ch=='{': depth+=1; started=True
                    elif ch=='}': depth-=1
                if started and depth==0: break
                if not started and lines[j].rstrip().endswith(';'): break
                j+=1
            if started:
                out.append((j-i+1,m.group(6),i+1))
            i=j+1 if started else i+1
            continue
        i+=1
    return out
res=[]
for root in sys.argv[1:]:
    for dp,dn,fn in os.walk(root):
        for f in fn:
            if f.endswith('.rs'):
                p=os.path.join(dp,f)
                for n,name,line in scan(p):
                    if n>60: res.append((n,p,line,name))
for r in sorted(res,reverse=True): print(*r)
