#!/usr/bin/env python3
"""Writes quant/src/test/resources/golden/optim.json: PyTorch 1.13's torch.optim.SGD and the
learning-rate schedules CosineAnnealingLR and OneCycleLR, step by step.

- sgd: parameters of a few sizes (vector bodies and scalar tails of ATen's CPU kernels) stepped
  with given gradients under each option (momentum, dampening, nesterov, weight decay), the
  learning rate (and for OneCycleLR the momentum) moved by a scheduler after every step as
  train.py and quant_eval.py do: parameters (float32 bits) after each step.
- schedule: the learning rate and momentum a scheduler sets after construction and after each
  step() (or step(epoch), the closed form), as Python doubles (repr, exact).
Needs python3-torch (Debian's 1.13); the Java tests do not.

Usage: /usr/bin/python3 tools/golden/optim.py [OUT.json]
"""
import json
import sys
import warnings

import torch

warnings.filterwarnings('ignore')


def bits(x):
    return x.detach().contiguous().float().view(torch.int32).flatten().tolist()


def make_scheduler(opt, spec):
    if spec is None:
        return None
    kind = spec['kind']
    args = {k: v for k, v in spec.items() if k != 'kind'}
    if kind == 'cosine':
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, **args)
    return torch.optim.lr_scheduler.OneCycleLR(opt, **args)


def sgd_case(g, name, options, scheduler, steps, sizes=((37,), (2, 3, 3, 3), (5,), (67,))):
    params = [torch.nn.Parameter(torch.randn(s, generator=g)) for s in sizes]
    initial = [bits(p) for p in params]
    opt = torch.optim.SGD(params, **options)
    sched = make_scheduler(opt, scheduler)
    out = []
    for _ in range(steps):
        grads = [torch.randn(p.shape, generator=g) * 0.5 for p in params]
        for p, gr in zip(params, grads):
            p.grad = gr.clone()
        lr, momentum = opt.param_groups[0]['lr'], opt.param_groups[0]['momentum']
        opt.step()
        if sched is not None:
            sched.step()
        out.append({'lr': lr, 'momentum': momentum, 'grads': [bits(x) for x in grads], 'params': [bits(p) for p in params]})
    return {'kind': 'sgd', 'name': name, 'options': options, 'scheduler': scheduler,
            'shapes': [list(s) for s in sizes], 'initial': initial, 'steps': out}


def schedule_case(name, options, scheduler, steps, epochs=None):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], **options)
    sched = make_scheduler(opt, scheduler)
    g = opt.param_groups[0]
    lrs, momenta = [g['lr']], [g['momentum']]
    for i in range(steps):
        opt.step()
        if epochs is None:
            sched.step()
        else:
            sched.step(epochs[i])
        lrs.append(g['lr'])
        momenta.append(g['momentum'])
    return {'kind': 'schedule', 'name': name, 'options': options, 'scheduler': scheduler, 'epochs': epochs,
            'lr': lrs, 'momentum': momenta}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else 'quant/src/test/resources/golden/optim.json'
    g = torch.Generator().manual_seed(11)
    cases = [
        sgd_case(g, 'plain', dict(lr=0.1), None, 4),
        sgd_case(g, 'weight decay', dict(lr=0.05, weight_decay=0.01), None, 4),
        sgd_case(g, 'momentum + dampening + weight decay', dict(lr=0.05, momentum=0.5, dampening=0.3, weight_decay=0.01), None, 5),
        sgd_case(g, 'quant_eval.py QAT: momentum 0.9, wd 5e-5, cosine', dict(lr=2e-3, momentum=0.9, weight_decay=5e-5),
                 dict(kind='cosine', T_max=6), 8),
        sgd_case(g, 'train.py: nesterov 0.9, wd 5e-4, one-cycle', dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4),
                 dict(kind='onecycle', max_lr=0.05, total_steps=12, pct_start=0.15), 12),
        schedule_case('cosine T_max 7, eta_min 1e-3, past T_max', dict(lr=0.1), dict(kind='cosine', T_max=7, eta_min=1e-3), 30),
        schedule_case('cosine T_max 220 (quant_eval.py: 2 epochs of 110 batches)', dict(lr=2e-3, momentum=0.9),
                      dict(kind='cosine', T_max=220), 220),
        schedule_case('cosine closed form, step(epoch)', dict(lr=0.1), dict(kind='cosine', T_max=5, eta_min=0.01), 9,
                      epochs=[1, 2, 3, 5, 4, 7, 10, 11, 12]),
        schedule_case('one-cycle defaults', dict(lr=0.1, momentum=0.9), dict(kind='onecycle', max_lr=0.1, total_steps=25), 25),
        schedule_case('one-cycle train.py (pct_start 0.15, 30 epochs x 110)', dict(lr=0.05, momentum=0.9, nesterov=True),
                      dict(kind='onecycle', max_lr=0.05, total_steps=3300, pct_start=0.15), 3300),
        schedule_case('one-cycle three-phase, linear', dict(lr=0.1, momentum=0.9),
                      dict(kind='onecycle', max_lr=0.2, total_steps=17, three_phase=True, anneal_strategy='linear',
                           div_factor=10.0, final_div_factor=100.0), 17),
        schedule_case('one-cycle epochs x steps_per_epoch, no momentum cycling', dict(lr=0.1, momentum=0.8),
                      dict(kind='onecycle', max_lr=0.3, epochs=3, steps_per_epoch=4, cycle_momentum=False,
                           base_momentum=0.8, max_momentum=0.9), 12),
    ]
    with open(out, 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': cases}, f, separators=(',', ':'))
        f.write('\n')


if __name__ == '__main__':
    main()
